import { useUi, type UiStore } from '../state/ui-store';
import { TicketDetail } from './TicketDetail';
import { TicketList } from './TicketList';

/** The main area's tickets view (`view=tickets`): the list, or one ticket (`ticket=ID`). */
export function TicketsView({ store }: { store: UiStore }) {
  const ticket = useUi(store, (s) => s.params.ticket);
  return (
    <div className="tickets-view" data-testid="tickets-view">
      {ticket === null ? <TicketList store={store} /> : <TicketDetail store={store} id={ticket} />}
    </div>
  );
}
