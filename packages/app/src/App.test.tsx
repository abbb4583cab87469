import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';

const appConfig = {
  app: { title: 'mesh-gateway test', baseUrl: 'http://localhost:3000' },
  organization: { name: 'mesh-gateway' },
  backend: { baseUrl: 'http://localhost:7007' },
};

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A backend that issues guest sessions and has an empty catalog. */
async function fakeBackend(input: RequestInfo | URL): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.pathname === '/api/auth/guest/refresh') {
    return jsonResponse({
      profile: { displayName: 'Guest' },
      providerInfo: {},
      backstageIdentity: {
        // A JWT whose payload is {"sub":"user:default/guest"}; the frontend only reads `exp`.
        token: `e30.${btoa(JSON.stringify({ sub: 'user:default/guest' }))}.sig`,
        identity: {
          type: 'user',
          userEntityRef: 'user:default/guest',
          ownershipEntityRefs: [
            'user:default/guest',
            'group:default/platform-team',
          ],
        },
      },
    });
  }
  if (url.pathname === '/api/catalog/entities/by-query') {
    return jsonResponse({ items: [], totalItems: 0, pageInfo: {} });
  }
  if (url.pathname === '/api/catalog/entities/by-refs') {
    return jsonResponse({ items: [] });
  }
  if (url.pathname === '/api/catalog/entity-facets') {
    return jsonResponse({ facets: { kind: [], 'spec.type': [] } });
  }
  if (url.pathname.startsWith('/api/catalog/entities')) {
    return jsonResponse([]);
  }
  return jsonResponse(
    {
      error: { name: 'NotFoundError', message: `No route for ${url.pathname}` },
    },
    404,
  );
}

// The first render loads the whole app; give it more than jest's default 5 s.
const renderTimeoutMs = 30_000;

describe('App', () => {
  const originalFetch = global.fetch;

  beforeEach(() => {
    localStorage.clear();
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [{ data: appConfig, context: 'test' }] as any,
    };
  });

  afterEach(() => {
    global.fetch = originalFetch;
    jest.restoreAllMocks();
  });

  it(
    'signs the guest in through the auth backend and opens the catalog',
    async () => {
      global.fetch = jest.fn(fakeBackend) as typeof fetch;

      const firstVisit = render(<App />);
      expect(
        await screen.findByText('mesh-gateway test', {}, { timeout: 20_000 }),
      ).toBeInTheDocument();
      expect(screen.getByText('Guest')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Enter' }));

      expect(
        await screen.findByText(
          'mesh-gateway Catalog',
          {},
          { timeout: 20_000 },
        ),
      ).toBeInTheDocument();
      expect(global.fetch).toHaveBeenCalledWith(
        'http://localhost:7007/api/auth/guest/refresh',
        expect.anything(),
      );
      firstVisit.unmount();

      // A returning guest is signed in without the sign-in page.
      render(<App />);
      expect(
        await screen.findByText(
          'mesh-gateway Catalog',
          {},
          { timeout: 20_000 },
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Enter' }),
      ).not.toBeInTheDocument();
    },
    renderTimeoutMs,
  );
});
