/** JSON golden files are compared as data: the repository's formatter may re-wrap them. */
export function comparable(path: string, content: string): unknown {
  return path.endsWith('.json') ? JSON.parse(content) : content;
}
