/**
 * Kong's paging rules (kong/api/endpoints.lua, kong/db/dao/init.lua, kong/db/errors.lua,
 * kong/db/strategies/postgres): `size` 1..1000 (default 100), opaque base64 `offset`,
 * `tags=a,b` (all of) or `tags=a/b` (any of), errors as `{ code, name, message }`.
 */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** Error codes of kong/db/errors.lua. */
export const KONG_ERROR_CODES = {
  INVALID_OFFSET: 7,
  INVALID_SIZE: 9,
  INVALID_OPTIONS: 11,
} as const;

/** An answer other than 200, with Kong's body. */
export class KongApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

export function notFound(): KongApiError {
  return new KongApiError(404, { message: 'Not found' });
}

function invalidSize(message: string): KongApiError {
  return new KongApiError(400, {
    code: KONG_ERROR_CODES.INVALID_SIZE,
    name: 'invalid size',
    message,
  });
}

export function invalidOffset(offset: string, reason: string): KongApiError {
  return new KongApiError(400, {
    code: KONG_ERROR_CODES.INVALID_OFFSET,
    name: 'invalid offset',
    message: `'${offset}' is not a valid offset: ${reason}`,
  });
}

function invalidOptions(option: string, reason: string): KongApiError {
  return new KongApiError(400, {
    code: KONG_ERROR_CODES.INVALID_OPTIONS,
    name: 'invalid options',
    message: `invalid option (${option}: ${reason})`,
    options: { [option]: reason },
  });
}

/**
 * `size` as Kong reads it: Lua `tonumber` first ("size must be a number"), then the DAO's range
 * check. A repeated `size` arrives as a table in Lua, which `tonumber` rejects.
 */
export function parsePageSize(values: string[]): number {
  if (values.length === 0) {
    return DEFAULT_PAGE_SIZE;
  }
  const raw = values.length === 1 ? values[0].trim() : '';
  const size = raw === '' ? NaN : Number(raw);
  if (Number.isNaN(size)) {
    throw invalidSize('size must be a number');
  }
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidSize(`size must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/** Printable ASCII except ',' and '/', plus non-ASCII (kong/api/endpoints.lua TAGS_*_REGEX). */
const TAG_CHARS = '[\\x20-\\x2B\\x2D\\x2E\\x30-\\x7E\\u0080-\\uFFFF]';
const TAGS_AND = new RegExp(`^(${TAG_CHARS}+(?:,|$))+$`);
const TAGS_OR = new RegExp(`^(${TAG_CHARS}+(?:/|$))+$`);

export interface TagsFilter {
  /** The raw query value, echoed into `next`. */
  raw: string;
  cond: 'and' | 'or';
  tags: string[];
}

export function parseTagsFilter(values: string[]): TagsFilter | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const raw = values[0];
  let filter: TagsFilter;
  if (TAGS_AND.test(raw)) {
    filter = { raw, cond: 'and', tags: raw.split(',').filter(Boolean) };
  } else if (TAGS_OR.test(raw)) {
    filter = { raw, cond: 'or', tags: raw.split('/').filter(Boolean) };
  } else {
    throw invalidOptions('tags', 'invalid filter syntax');
  }
  if (filter.tags.length > 5) {
    throw invalidOptions('tags', 'cannot query more than 5 tags');
  }
  return filter;
}

export function matchesTags(
  entityTags: string[] | null,
  filter: TagsFilter | undefined,
): boolean {
  if (!filter) return true;
  const tags = entityTags ?? [];
  return filter.cond === 'and'
    ? filter.tags.every(t => tags.includes(t))
    : filter.tags.some(t => tags.includes(t));
}

/** Standard base64, padding optional (ngx.decode_base64). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function encodeOffset(id: string): string {
  return Buffer.from(JSON.stringify([id]))
    .toString('base64')
    .replace(/=+$/, '');
}

function decodeOffset(offset: string): string {
  if (!BASE64.test(offset) || offset.replace(/=+$/, '').length % 4 === 1) {
    throw invalidOffset(offset, 'bad base64 encoding');
  }
  try {
    const token: unknown = JSON.parse(
      Buffer.from(offset, 'base64').toString('utf8'),
    );
    if (Array.isArray(token) && typeof token[0] === 'string') {
      return token[0];
    }
  } catch {
    // falls through to the error below
  }
  throw invalidOffset(offset, 'bad json encoding');
}

export interface Page<T> {
  data: T[];
  offset?: string;
}

/**
 * One page of `items` (sorted by id, as PostgreSQL pages `ORDER BY id`). The offset names the
 * first id of the next page, so a page stays correct when entities before it disappear.
 */
export function pageById<T extends { id: string; tags: string[] | null }>(
  items: readonly T[],
  size: number,
  offset: string | undefined,
  tags: TagsFilter | undefined,
): Page<T> {
  let start = 0;
  if (offset !== undefined) {
    const from = decodeOffset(offset);
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid].id < from) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const data: T[] = [];
  let i = start;
  for (; i < items.length && data.length < size; i++) {
    if (matchesTags(items[i].tags, tags)) data.push(items[i]);
  }
  while (i < items.length && !matchesTags(items[i].tags, tags)) i++;
  return i < items.length
    ? { data, offset: encodeOffset(items[i].id) }
    : { data };
}

/**
 * Targets page by position in their history, newest first, and the offset is that position as a
 * decimal string (kong/db/dao/targets.lua `page_for_upstream`).
 */
export function pageByPosition<T extends { tags: string[] | null }>(
  items: readonly T[],
  size: number,
  offset: string | undefined,
  tags: TagsFilter | undefined,
): Page<T> {
  let start = 0;
  if (offset !== undefined) {
    if (!/^\d+$/.test(offset)) {
      throw invalidOffset(offset, 'bad offset');
    }
    start = Number(offset);
  }
  const filtered = tags ? items.filter(t => matchesTags(t.tags, tags)) : items;
  const data = filtered.slice(start, start + size);
  return filtered.length > start + size
    ? { data, offset: String(start + size) }
    : { data };
}
