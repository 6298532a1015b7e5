import type { EntityManager } from 'typeorm';
import { applyAcceptedContactUpdate, type ContactOptions } from '../contacts';
import { batchFor, type AcceptedAt, type CoreHooks } from '../obligations/hooks';

/**
 * The obligations hooks with the contact registry in front (issue 8 item 1, Art. 17): an accepted
 * signed ContactUpdate — over the API, by e-mail — changes the registry in intake's accept
 * transaction, exactly as a console edit does (the history row: changed by its sender, its
 * effective date, reported at the accept time), then the obligations hooks meet `contact-change`
 * (or record it late). In the accept transaction it is done exactly once: a refusal
 * (`contacts.effective-date-too-far`, …) rolls the accept back, and a message id already applied
 * (the console records its own change before these hooks run) changes nothing the second time.
 * Every other hook is passed through as it is.
 */
export function withContactUpdates(hooks: CoreHooks, options: ContactOptions = {}): CoreHooks {
  const batch = hooks.onMessagesAccepted?.bind(hooks);
  const onMessageAccepted: CoreHooks['onMessageAccepted'] = async (manager, accepted, now) => {
    await applyAcceptedContactUpdate(manager, accepted, now, options);
    await hooks.onMessageAccepted(manager, accepted, now);
  };
  return {
    ...hooks,
    onMessageAccepted,
    // batchFor: a caller's own onMessageAccepted over these hooks runs per message instead of being bypassed.
    ...(batch && {
      onMessagesAccepted: batchFor(onMessageAccepted, async (manager: EntityManager, items: readonly AcceptedAt[]) => {
        for (const { accepted, now } of items) await applyAcceptedContactUpdate(manager, accepted, now, options);
        await batch(manager, items);
      }),
    }),
  };
}
