import { ResponseError } from '@backstage/errors';
import { MeshGatewayClient } from './MeshGatewayClient';
import { MeshGatewayResponseError } from './responseSchemas';
import { kongSection } from '../__testUtils__/kongSection';

const baseUrl = 'http://localhost:7007/api/mesh-gateway';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function createClient(respond: (url: string) => Response | Promise<Response>) {
  const fetch = jest.fn(async (input: RequestInfo | URL) =>
    respond(String(input)),
  );
  const getBaseUrl = jest.fn(async (_pluginId: string) => baseUrl);
  const client = new MeshGatewayClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });
  return { client, fetch, getBaseUrl };
}

describe('MeshGatewayClient', () => {
  it('reads a section from /v1/entities/{namespace}/{kind}/{name}/{section}', async () => {
    const section = kongSection();
    const { client, fetch, getBaseUrl } = createClient(() =>
      jsonResponse(section),
    );

    const result = await client.getSection(
      { kind: 'Component', namespace: 'parallel-ai', name: 'ai-agent-service' },
      'kong',
    );

    expect(getBaseUrl).toHaveBeenCalledWith('mesh-gateway');
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/v1/entities/parallel-ai/component/ai-agent-service/kong`,
    );
    expect(result).toEqual(section);
  });

  it('reads the overview from a string reference, lowercasing the kind', async () => {
    const overview = {
      entityRef: 'component:default/ai-agent-service',
      sections: { kong: kongSection() },
    };
    const { client, fetch } = createClient(() => jsonResponse(overview));

    await expect(
      client.getOverview('Component:ai-agent-service'),
    ).resolves.toEqual(overview);
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/v1/entities/default/component/ai-agent-service`,
    );
  });

  it('encodes every path segment', async () => {
    const { client, fetch } = createClient(() => jsonResponse(kongSection()));

    await client.getSection(
      { kind: 'Component', namespace: 'a/b', name: 'x y?#' },
      'kong',
    );

    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/v1/entities/a%2Fb/component/x%20y%3F%23/kong`,
    );
  });

  it.each([
    [400, 'InputError', 'Invalid entity reference: name is empty'],
    [404, 'NotFoundError', 'No entity component:default/x found'],
    [401, 'AuthenticationError', 'Missing credentials'],
  ])(
    'maps a %s answer to a ResponseError with the backend error',
    async (status, name, message) => {
      const { client } = createClient(() =>
        jsonResponse(
          {
            error: { name, message },
            request: { method: 'GET', url: '/x' },
            response: { statusCode: status },
          },
          status,
        ),
      );

      const error = await client
        .getSection('component:default/x', 'kong')
        .catch(e => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.cause.name).toBe(name);
      expect(error.cause.message).toBe(message);
    },
  );

  it('maps a non-JSON error answer to a ResponseError too', async () => {
    const { client } = createClient(
      () =>
        new Response('upstream connect error', {
          status: 502,
          statusText: 'Bad Gateway',
        }),
    );

    const error = await client.getOverview('component:default/x').catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
  });

  it('rejects a response of another shape, naming where it differs', async () => {
    const broken = kongSection();
    (broken.data!.services[0] as any).routes = 'not a list';
    const { client } = createClient(() => jsonResponse(broken));

    const error = await client
      .getSection('component:default/x', 'kong')
      .catch(e => e);

    expect(error).toBeInstanceOf(MeshGatewayResponseError);
    expect(error.message).toContain('data.services.0.routes');
  });

  it('rejects a Kong Manager link that is not a web address', async () => {
    const section = kongSection();
    // A script address, assembled so that it is not one in this source.
    section.data!.services[0].managerUrl = ['javascript', 'alert(1)'].join(':');
    const { client } = createClient(() => jsonResponse(section));

    await expect(
      client.getSection('component:default/x', 'kong'),
    ).rejects.toThrow('services.0.managerUrl');
  });

  it('names the section of an overview that has another shape', async () => {
    const { client } = createClient(() =>
      jsonResponse({
        entityRef: 'component:default/x',
        sections: { kong: { ...kongSection(), status: 'broken' } },
      }),
    );

    await expect(client.getOverview('component:default/x')).rejects.toThrow(
      'sections.kong.status',
    );
  });

  it('rejects a body that is not JSON', async () => {
    const { client } = createClient(
      () => new Response('<html>sign in</html>', { status: 200 }),
    );

    await expect(client.getOverview('component:default/x')).rejects.toThrow(
      MeshGatewayResponseError,
    );
  });

  it('shares one request between identical concurrent calls, and asks again afterwards', async () => {
    const { client, fetch } = createClient(() => jsonResponse(kongSection()));
    const ref = 'component:parallel-ai/ai-agent-service';

    const [a, b] = await Promise.all([
      client.getSection(ref, 'kong'),
      client.getSection(ref, 'kong'),
    ]);
    expect(a).toEqual(b);
    expect(fetch).toHaveBeenCalledTimes(1);

    await client.getSection(ref, 'kong');
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
