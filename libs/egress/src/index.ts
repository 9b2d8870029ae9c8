export type { EgressDenial } from './domain/egress-policy';
export { EgressAllowListError, EgressPolicy } from './domain/egress-policy';
export { Egress, EgressDeniedError, isEgressDenied } from './infrastructure/egress';
