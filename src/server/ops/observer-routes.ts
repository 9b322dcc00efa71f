// Observer mode and its held notifications over REST: anyone may read whether it is on (the app's
// banner); switching it and releasing or discarding what it held are admin writes.
import type { HeldSelection, NotificationList, ObserverChange } from '../../core/api/observer';
import { notificationEntry } from '../notify/entries';
import type { OutboxStatus } from '../notify/outbox';
import type { OpsContext } from './context';
import { addOpsRoute } from './table';

export function registerObserverRoutes(context: OpsContext): void {
  const { notify, requireAdmin } = context;
  const { outbox } = notify;

  addOpsRoute(context, 'getObserver', () => notify.observerStatus());

  addOpsRoute(context, 'setObserver', async (request) => {
    const { actor } = requireAdmin(request);
    const body = request.body as ObserverChange;
    await notify.setObserver({ enabled: body.enabled, by: actor, reason: body.reason });
    return notify.observerStatus();
  });

  addOpsRoute(context, 'listNotifications', async (request) => {
    requireAdmin(request);
    const q = request.query as { status: OutboxStatus; limit: number };
    const all = await outbox.list({ status: q.status });
    return {
      notifications: all.slice(0, q.limit).map(notificationEntry),
      total: all.length,
    } satisfies NotificationList;
  });

  addOpsRoute(context, 'releaseNotifications', async (request) => {
    requireAdmin(request);
    const result = await outbox.release(request.body as HeldSelection);
    if (result.changed > 0) context.wakeDelivery();
    return result;
  });

  addOpsRoute(context, 'discardNotifications', async (request) => {
    const { actor } = requireAdmin(request);
    return outbox.discard(request.body as HeldSelection, actor);
  });
}
