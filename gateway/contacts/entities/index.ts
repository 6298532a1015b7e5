import { ContactChangeEntity } from './contact-change';
import { ContactPersonEntity } from './contact-person';
import { ContactSetEntity } from './contact-set';

export * from './contact-change';
export * from './contact-person';
export * from './contact-set';

/** The entities of the contact registry, spread into the store's entity list. */
export const contactEntities = [ContactSetEntity, ContactPersonEntity, ContactChangeEntity];
