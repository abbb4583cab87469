import { entityRouteParamsSchema } from './entityRef';

describe('entityRouteParamsSchema', () => {
  it.each([
    { namespace: 'default', kind: 'component', name: 'ai-agent-service' },
    { namespace: 'parallel-ai', kind: 'Component', name: 'svc.v2_x' },
  ])('accepts %j', params => {
    expect(entityRouteParamsSchema.parse(params)).toEqual(params);
  });

  it.each([
    [{ namespace: 'default', kind: 'component', name: '' }, 'name is empty'],
    [{ namespace: 'default', kind: 'compo nent', name: 'a' }, 'kind must be letters and digits'],
    [{ namespace: 'de fault', kind: 'component', name: 'a' }, 'namespace must be a DNS label'],
    [{ namespace: 'default', kind: 'component', name: 'a..b' }, 'name must be'],
    [{ namespace: 'default', kind: 'component', name: 'x'.repeat(254) }, 'longer than 253'],
  ])('rejects %j with %s', (params, message) => {
    const result = entityRouteParamsSchema.safeParse(params);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map(i => i.message).join('\n')).toContain(message);
  });
});
