export { EntityIstioPoliciesCard } from './EntityIstioPoliciesCard';
