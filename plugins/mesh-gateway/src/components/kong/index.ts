export { EntityKongRoutesCard } from './EntityKongRoutesCard';
export { EntityKongPluginsCard } from './EntityKongPluginsCard';
