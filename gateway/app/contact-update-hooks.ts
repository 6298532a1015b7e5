import type { EntityManager } from 'typeorm';
import { applyAcceptedContactUpdate, type ContactOptions } from '../contacts';
import type { AcceptedAt, CoreHooks } from '../obligations/hooks';

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
  return {
    ...hooks,
    async onMessageAccepted(manager, accepted, now) {
      await applyAcceptedContactUpdate(manager, accepted, now, options);
      await hooks.onMessageAccepted(manager, accepted, now);
    },
    ...(batch && {
      async onMessagesAccepted(manager: EntityManager, items: readonly AcceptedAt[]) {
        for (const { accepted, now } of items) await applyAcceptedContactUpdate(manager, accepted, now, options);
        await batch(manager, items);
      },
    }),
  };
}
