import { useUi } from '../shell/hooks';
import { TicketDetail } from './TicketDetail';
import { TicketList } from './TicketList';

/** The main area's tickets view (`view=tickets`): the list, or one ticket (`ticket=ID`). */
export function TicketsView() {
  const ticket = useUi((s) => s.params.ticket);
  return (
    <div className="tickets-view" data-testid="tickets-view">
      {ticket === null ? <TicketList /> : <TicketDetail id={ticket} />}
    </div>
  );
}
