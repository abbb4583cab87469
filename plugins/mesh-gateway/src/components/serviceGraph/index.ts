export { EntityServiceGraphCard } from './EntityServiceGraphCard';
