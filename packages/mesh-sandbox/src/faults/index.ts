export { FaultInjector, faultSchema, faultRuleSchema } from './FaultInjector';
export type { Fault, FaultRule } from './FaultInjector';
