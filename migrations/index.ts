import { InitialSchema1764380000000 } from './1764380000000-initial-schema';
import { OutboxPendingOrder1764380100000 } from './1764380100000-outbox-pending-order';
import { ObligationsAndCases1764380400000 } from './1764380400000-obligations-and-cases';
import { ContactRegistry1764380700000 } from './1764380700000-contact-registry';
import { RoutingFacts1764381000000 } from './1764381000000-routing-facts';
import { DeliveriesMailboxOrder1764381300000 } from './1764381300000-deliveries-mailbox-order';
import { EmailCursors1764381600000 } from './1764381600000-email-cursors';
import { Console1764381900000 } from './1764381900000-console';
import { ConsoleMonthIndex1764382500000 } from './1764382500000-console-month-index';
import { Alerts1764382200000 } from './1764382200000-alerts';
import { PaperOriginals1764382800000 } from './1764382800000-paper-originals';
import { MonthSubjects1764383100000 } from './1764383100000-month-subjects';
import { Art15Indexes1764383400000 } from './1764383400000-art15-indexes';
import { DeliveriesMailboxUnfetched1764383700000 } from './1764383700000-deliveries-mailbox-unfetched';

/**
 * Every migration of the store, oldest first: one per schema change, each running on MySQL /
 * MariaDB and SQLite alike. Add a new one at the end; never edit one that has shipped.
 */
export const migrations = [InitialSchema1764380000000, OutboxPendingOrder1764380100000, ObligationsAndCases1764380400000, ContactRegistry1764380700000, RoutingFacts1764381000000, DeliveriesMailboxOrder1764381300000, EmailCursors1764381600000, Console1764381900000, Alerts1764382200000, ConsoleMonthIndex1764382500000, PaperOriginals1764382800000, MonthSubjects1764383100000, Art15Indexes1764383400000, DeliveriesMailboxUnfetched1764383700000];
