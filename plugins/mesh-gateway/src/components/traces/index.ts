export { EntityTracesCard } from './EntityTracesCard';
export { tracesSectionSchema } from './tracesSectionSchema';
