import { z } from 'zod';

/** A tracing API answered with something that is not the documented shape. */
export class TraceShapeError extends Error {
  name = 'TraceShapeError';
}

/** Parses with `schema` or throws a {@link TraceShapeError} naming where and what. */
export function parseShape<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
    throw new TraceShapeError(
      `${what}: unexpected shape${at} (${issue.message})`,
    );
  }
  return parsed.data;
}

/**
 * The traces of a response, and why the ones that could not be read were left out: one
 * malformed trace costs itself, not the whole section.
 */
export interface ParsedTraces<T> {
  traces: T[];
  problems: string[];
}

/** Parses each item on its own; failures become `problems`. */
export function parseEach<T>(
  items: unknown[],
  parse: (item: unknown, what: string) => T,
  what: string,
): ParsedTraces<T> {
  const traces: T[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    try {
      traces.push(parse(item, `${what}[${index}]`));
    } catch (error) {
      if (!(error instanceof TraceShapeError)) throw error;
      problems.push(error.message);
    }
  });
  return { traces, problems };
}
