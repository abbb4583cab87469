export { freePort, requireBinary, startPostgres, startRedis } from './localServers';
export type { RunningServer } from './localServers';
