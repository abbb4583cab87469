import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createFinding } from '@internal/plugin-mesh-gateway-common';
import {
  istioEntity,
  istioSection,
  istioSectionWith,
  istioWorkload,
} from '../../__testUtils__/istioSection';
import {
  pending,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { EntityIstioPoliciesCard } from './EntityIstioPoliciesCard';

const userService = istioEntity('user-service');

/** The code in a CodeSnippet, without its line numbers; throws until it has rendered. */
function yamlText(container: HTMLElement): string {
  const pre = container.querySelector('pre');
  if (!pre) {
    throw new Error('The code snippet has not rendered yet');
  }
  const copy = pre.cloneNode(true) as HTMLElement;
  copy
    .querySelectorAll('.react-syntax-highlighter-line-number')
    .forEach(lineNumber => lineNumber.remove());
  return copy.textContent ?? '';
}

function renderCard(
  section: ReturnType<typeof istioSection>,
  entity = userService,
) {
  return renderWithEntity(
    <EntityIstioPoliciesCard />,
    { getSection: jest.fn().mockResolvedValue(section) },
    { entity },
  );
}

async function workloadRegion(host: string) {
  return within(
    await screen.findByRole('region', {
      name: `Istio workload ${host} in cluster sandbox`,
    }),
  );
}

describe('EntityIstioPoliciesCard', () => {
  it('shows progress while the section loads, asking for the istio section of the entity', async () => {
    const getSection = jest.fn(() => pending<never>());
    await renderWithEntity(
      <EntityIstioPoliciesCard />,
      { getSection },
      { entity: userService },
    );

    expect(screen.getByText('Istio policies')).toBeInTheDocument();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith(
      'component:parallel-ai/user-service',
      'istio',
    );
  });

  it('shows a failed request with the backend error', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'Not allowed to read' },
          request: { method: 'GET', url: '/x' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderWithEntity(
      <EntityIstioPoliciesCard />,
      { getSection: jest.fn().mockRejectedValue(error) },
      { entity: userService },
    );

    expect(await screen.findAllByText(/Not allowed to read/)).not.toHaveLength(
      0,
    );
  });

  it('asks for backstage.io/kubernetes-id, naming the alternatives, when the entity has no Kubernetes annotation', async () => {
    await renderCard(
      istioSection('user-service', {
        status: 'not-configured',
        data: undefined,
        findings: [],
        missing: {
          annotations: [
            'backstage.io/kubernetes-id',
            'backstage.io/kubernetes-label-selector',
            'mesh-gateway.io/istio-host',
          ],
        },
      }),
    );

    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText('backstage.io/kubernetes-id', { exact: false })
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText('backstage.io/kubernetes-label-selector'),
    ).toBeInTheDocument();
    expect(screen.getByText('mesh-gateway.io/istio-host')).toBeInTheDocument();
  });

  it('names the missing config key when the backend knows no cluster', async () => {
    await renderCard(
      istioSection('user-service', {
        status: 'not-configured',
        data: undefined,
        findings: [],
        missing: { configKey: 'kubernetes.clusterLocatorMethods' },
      }),
    );

    expect(
      await screen.findByText('Istio is not configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/kubernetes\.clusterLocatorMethods/),
    ).toBeInTheDocument();
  });

  it('lists the errors of a section that failed in every cluster', async () => {
    await renderCard(
      istioSection('user-service', {
        status: 'error',
        data: undefined,
        findings: [],
        errors: [
          {
            name: 'unreachable',
            instance: 'sandbox',
            message: 'connect ECONNREFUSED 127.0.0.1:6443',
          },
        ],
      }),
    );

    expect(
      await screen.findByText(/^\w+: Istio could not be read$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/connect ECONNREFUSED 127\.0\.0\.1:6443/),
    ).toBeInTheDocument();
    expect(screen.getByText('sandbox:')).toBeInTheDocument();
  });

  it('shows the cluster errors of a partial result above the workloads', async () => {
    await renderCard(
      istioSection('user-service', {
        errors: [
          {
            name: 'timeout',
            instance: 'eu-west',
            message: 'The Kubernetes API did not answer',
          },
        ],
      }),
    );

    expect(
      await screen.findByText(/Part of Istio could not be read/),
    ).toBeInTheDocument();
    expect(
      await workloadRegion('user-service.parallel-ai.svc.cluster.local'),
    ).toBeDefined();
  });

  describe('user-service (demo fault: PERMISSIVE at the workload over a STRICT namespace)', () => {
    it('shows the PERMISSIVE badge, the policy that decides and what it overrides', async () => {
      await renderCard(istioSection('user-service'));

      const workload = await workloadRegion(
        'user-service.parallel-ai.svc.cluster.local',
      );
      expect(
        workload.getByText('cluster sandbox, namespace parallel-ai'),
      ).toBeInTheDocument();
      expect(workload.getByText('sidecar injection on')).toBeInTheDocument();
      expect(
        workload.getByText(
          'Service user-service: 8080/http → 8080 · pods selected by app=user-service',
        ),
      ).toBeInTheDocument();

      const mtls = within(workload.getByRole('region', { name: 'Mutual TLS' }));
      expect(
        mtls.getByTitle(
          'PERMISSIVE: plain text is accepted as well as mutual TLS',
        ),
      ).toHaveTextContent(/^PERMISSIVE$/);
      expect(
        mtls.getByText(
          'Workload policy parallel-ai/user-service-legacy-clients overrides namespace STRICT (parallel-ai/default).',
        ),
      ).toBeInTheDocument();
      expect(
        mtls.getByTitle(
          'Workload port 8080 inherits PERMISSIVE from parallel-ai/user-service-legacy-clients',
        ),
      ).toHaveTextContent('8080/http PERMISSIVE');

      const findings = screen.getByRole('list', { name: 'Findings' });
      expect(within(findings).getByText('MG-ISTIO-001')).toBeInTheDocument();
      expect(
        within(findings).getByText(
          'The workload-level policy sets PERMISSIVE, so plain-text requests are accepted.',
        ),
      ).toBeInTheDocument();
      expect(
        within(findings).getByText(
          /^Fix: Apply a PeerAuthentication with mtls.mode: STRICT/,
        ),
      ).toBeInTheDocument();
    });

    it('says in plain words who may call it and lists the ALLOW rule and the JWT it checks', async () => {
      await renderCard(istioSection('user-service'));
      const workload = await workloadRegion(
        'user-service.parallel-ai.svc.cluster.local',
      );
      const callers = within(
        workload.getByRole('region', { name: 'Who can call this service' }),
      );

      expect(
        callers.getByText('Only requests that match the ALLOW rule below.'),
      ).toBeInTheDocument();
      expect(callers.getByText('1 rule')).toBeInTheDocument();
      const row = callers
        .getByText('parallel-ai/user-service-authz')
        .closest('tr')!;
      const r = within(row);
      expect(r.getByText('ALLOW')).toBeInTheDocument();
      expect(r.getByText('rule 0')).toBeInTheDocument();
      expect(r.getByText('cluster.local/ns/kong/sa/kong')).toBeInTheDocument();
      expect(
        r.getByText('cluster.local/ns/parallel-ai/sa/ai-agent-service'),
      ).toBeInTheDocument();
      expect(
        r.getByText('https://auth.parallel-ai.example.com/*'),
      ).toBeInTheDocument();
      expect(r.getByText('GET')).toBeInTheDocument();
      expect(r.getByText('POST')).toBeInTheDocument();
      expect(r.getByText('/api/v1/*')).toBeInTheDocument();
      expect(r.queryByText('any source')).not.toBeInTheDocument();

      const jwt = within(callers.getByRole('list', { name: 'JWT issuers' }));
      expect(
        jwt.getByText('https://auth.parallel-ai.example.com'),
      ).toBeInTheDocument();
      expect(jwt.getByText('user-service')).toBeInTheDocument();
      expect(
        jwt.getByText(/parallel-ai\/user-service-jwt/),
      ).toBeInTheDocument();
      expect(
        callers.queryByText(/A request without a token still gets in/),
      ).not.toBeInTheDocument();
    });

    it('shows each object as read-only YAML in a dialog', async () => {
      await renderCard(istioSection('user-service'));
      const workload = await workloadRegion(
        'user-service.parallel-ai.svc.cluster.local',
      );
      const objects = within(
        workload.getByRole('table', { name: 'Kubernetes objects' }),
      );
      expect(objects.getAllByRole('row')).toHaveLength(1 + 9);

      await userEvent.click(
        objects.getByRole('button', {
          name: 'YAML of PeerAuthentication parallel-ai/user-service-legacy-clients',
        }),
      );

      const dialogElement = await screen.findByRole('dialog', {
        name: 'PeerAuthentication parallel-ai/user-service-legacy-clients',
      });
      const dialog = within(dialogElement);
      const yaml = await waitFor(() => yamlText(dialogElement));
      expect(yaml).toBe(
        [
          'apiVersion: security.istio.io/v1',
          'kind: PeerAuthentication',
          'metadata:',
          '  name: user-service-legacy-clients',
          '  namespace: parallel-ai',
          '  uid: 352439b5-1c04-a922-b0a5-668ab8e17a83',
          '  creationTimestamp: 2026-10-02T09:30:00Z',
          '  generation: 1',
          'spec:',
          '  selector:',
          '    matchLabels:',
          '      app: user-service',
          '  mtls:',
          '    mode: PERMISSIVE',
          '',
        ].join('\n'),
      );
      expect(dialog.queryByRole('textbox')).not.toBeInTheDocument();

      await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
    });

    it('warns about resource types the backend may not list, naming the RBAC rule', async () => {
      await renderCard(istioSection('user-service'));

      expect(
        await screen.findByText(
          /^\w+: The backend may not read 2 resource lists in cluster sandbox: this view leaves them out$/,
        ),
      ).toBeInTheDocument();
      const items = screen
        .getAllByText('sidecars.networking.istio.io')
        .map(element => element.closest('li')!.textContent);
      expect(items).toEqual([
        'sidecars.networking.istio.io in parallel-ai: apiGroups: ["networking.istio.io"], resources: ["sidecars"], verbs: ["get", "list"] in namespace parallel-ai',
        'sidecars.networking.istio.io in istio-system: apiGroups: ["networking.istio.io"], resources: ["sidecars"], verbs: ["get", "list"] in namespace istio-system',
      ]);
    });
  });

  describe('analytics-service (demo fault: no outlier detection)', () => {
    it('says the DestinationRule has no outlier detection and shows its other settings', async () => {
      await renderCard(
        istioSection('analytics-service'),
        istioEntity('analytics-service'),
      );
      const workload = await workloadRegion(
        'analytics-service.parallel-ai.svc.cluster.local',
      );

      const rule = within(
        workload.getByRole('table', {
          name: 'DestinationRule parallel-ai/analytics-service',
        }),
      );
      const cell = (label: string) =>
        within(rule.getByText(label).closest('tr')!);
      expect(
        cell('Outlier detection').getByText(
          'none: failing pods keep receiving traffic',
        ),
      ).toBeInTheDocument();
      expect(
        cell('Connection pool').getByText('tcp.maxConnections: 100'),
      ).toBeInTheDocument();
      expect(
        cell('Connection pool').getByText('http.http1MaxPendingRequests: 50'),
      ).toBeInTheDocument();
      expect(cell('TLS mode').getByText('ISTIO_MUTUAL')).toBeInTheDocument();
      expect(
        cell('Subsets').getByText('premium: version=premium'),
      ).toBeInTheDocument();
      expect(
        cell('Subsets').getByText('standard: version=standard'),
      ).toBeInTheDocument();

      const mtls = within(workload.getByRole('region', { name: 'Mutual TLS' }));
      expect(
        mtls.getByText(
          'Namespace policy parallel-ai/default overrides mesh-wide STRICT (istio-system/default).',
        ),
      ).toBeInTheDocument();

      const findings = within(screen.getByRole('list', { name: 'Findings' }));
      expect(findings.getByText('MG-ISTIO-006')).toBeInTheDocument();
      expect(
        findings.getByText(/^Fix: Add trafficPolicy.outlierDetection/),
      ).toBeInTheDocument();
    });
  });

  describe('ai-agent-service (demo fault: a route to a subset no DestinationRule defines)', () => {
    it('shows the traffic rules and flags the missing subset, with the istioctl code', async () => {
      await renderCard(
        istioSection('ai-agent-service'),
        istioEntity('ai-agent-service'),
      );
      const workload = await workloadRegion(
        'ai-agent-service.parallel-ai.svc.cluster.local',
      );
      const traffic = within(
        workload.getByRole('region', { name: 'Traffic rules' }),
      );

      expect(traffic.getByText('2 routes')).toBeInTheDocument();
      const premium = within(traffic.getByText('premium').closest('tr')!);
      expect(
        premium.getByText('parallel-ai/ai-agent-service http[0]'),
      ).toBeInTheDocument();
      expect(
        premium.getByText('header x-user-tier = premium'),
      ).toBeInTheDocument();
      expect(
        premium.getByTitle(
          'No DestinationRule for ai-agent-service.parallel-ai.svc.cluster.local defines subset premium-gpu: requests on this route fail with 503 (istioctl IST0101)',
        ),
      ).toHaveTextContent('subset premium-gpu · port 8080');
      expect(premium.getByText('30s')).toBeInTheDocument();
      expect(premium.getByText('3 × 7s')).toBeInTheDocument();
      expect(
        premium.getByText('first try + retries: up to 28s'),
      ).toBeInTheDocument();
      expect(
        premium.getByText('on 5xx,reset,connect-failure,retriable-4xx'),
      ).toBeInTheDocument();
      expect(premium.getByText('none')).toBeInTheDocument();

      const standard = within(traffic.getByText('standard').closest('tr')!);
      expect(standard.getByText('any request')).toBeInTheDocument();
      expect(
        standard.getByText('subset standard · port 8080'),
      ).toBeInTheDocument();
      expect(standard.queryByTitle(/defines subset/)).not.toBeInTheDocument();

      const istioctl = screen.getByText('IST0101').closest('a');
      expect(istioctl).toHaveAttribute(
        'href',
        'https://istio.io/latest/docs/reference/config/analysis/ist0101/',
      );
      const findings = within(screen.getByRole('list', { name: 'Findings' }));
      expect(findings.getByText('MG-ISTIO-009')).toBeInTheDocument();
      expect(findings.getByText('(istioctl IST0101)')).toBeInTheDocument();
      expect(
        findings.getByText(
          'http[0] routes to subset "premium-gpu" of ai-agent-service.parallel-ai.svc.cluster.local, which no DestinationRule defines.',
        ),
      ).toBeInTheDocument();
    });
  });

  it('flags an ALLOW rule that matches any source, dry-run and targetRef policies, and tokenless access', async () => {
    const base = istioWorkload('user-service');
    const [rule] = base.authorization.rules;
    await renderCard(
      istioSectionWith({
        ...base,
        authorization: {
          ...base.authorization,
          rules: [
            { ...rule, methods: [], paths: [], requestPrincipals: [] },
            {
              ...rule,
              rule: 1,
              principals: [],
              requestPrincipals: [],
              anySource: true,
            },
            {
              ...rule,
              policy: 'parallel-ai/deny-admin',
              action: 'DENY',
              principals: [],
              requestPrincipals: [],
              notPrincipals: ['cluster.local/ns/ops/sa/admin'],
              methods: [],
              paths: ['/admin/*'],
              ports: ['8080'],
              when: [{ key: 'request.headers[x-debug]', values: ['1'] }],
            },
          ],
          dryRun: ['parallel-ai/user-service-next'],
          targetRefPolicies: ['parallel-ai/waypoint-authz'],
        },
      }),
    );
    const workload = await workloadRegion(
      'user-service.parallel-ai.svc.cluster.local',
    );
    const callers = within(
      workload.getByRole('region', { name: 'Who can call this service' }),
    );

    expect(
      callers.getByText(
        'Only requests that match one of the 2 ALLOW rules below. parallel-ai/user-service-authz rule 1 does not restrict the source: any caller gets the operations it lists. DENY rules are checked first and win.',
      ),
    ).toBeInTheDocument();
    const [first, open, deny] = callers
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row));
    expect(deny.getByText('parallel-ai/deny-admin')).toBeInTheDocument();
    expect(
      open.getByTitle(
        'No from (or an empty source) in this rule: callers are not restricted, only the operation is',
      ),
    ).toHaveTextContent('any source');
    expect(open.getByText('/api/v1/*')).toBeInTheDocument();
    expect(first.getByText('any operation')).toBeInTheDocument();
    expect(
      first.getByText('cluster.local/ns/kong/sa/kong'),
    ).toBeInTheDocument();
    expect(deny.getByText('DENY')).toBeInTheDocument();
    expect(
      deny.getByText('not cluster.local/ns/ops/sa/admin'),
    ).toBeInTheDocument();
    expect(deny.getByText('8080')).toBeInTheDocument();
    expect(deny.getByText('/admin/*')).toBeInTheDocument();
    expect(deny.getByText('request.headers[x-debug] in 1')).toBeInTheDocument();
    expect(
      callers.getByText(/parallel-ai\/user-service-next\. istio\.io\/dry-run/),
    ).toBeInTheDocument();
    expect(
      callers.getByText(
        /parallel-ai\/waypoint-authz\. These apply to a waypoint/,
      ),
    ).toBeInTheDocument();
    expect(
      callers.getByText(
        'A request without a token still gets in through parallel-ai/user-service-authz rule 0, parallel-ai/user-service-authz rule 1, which require no request principal.',
      ),
    ).toBeInTheDocument();
  });

  it('shows an uninjected namespace, a TLS mode contradicting STRICT, faults, and retries beyond the timeout', async () => {
    const base = istioWorkload('ai-agent-service');
    const [route] = base.traffic;
    const [rule] = base.resilience;
    await renderCard(
      istioSectionWith({
        ...base,
        injection: { enabled: false },
        traffic: [
          {
            ...route,
            retries: { attempts: 5, perTryTimeout: '10s' },
            fault: { delay: '5s for 10%', abort: '503 for 1%' },
          },
        ],
        resilience: [{ ...rule, tlsMode: 'DISABLE' }],
        forbidden: [],
      }),
      istioEntity('ai-agent-service'),
    );
    const workload = await workloadRegion(
      'ai-agent-service.parallel-ai.svc.cluster.local',
    );

    expect(workload.getByText('sidecar injection off')).toBeInTheDocument();
    expect(
      workload.getByText(
        'first try + retries: up to 60s, beyond the 30s timeout',
      ),
    ).toBeInTheDocument();
    expect(workload.getByText('delay 5s for 10%')).toBeInTheDocument();
    expect(workload.getByText('abort 503 for 1%')).toBeInTheDocument();
    expect(
      workload.getByTitle(
        'The workload requires STRICT mTLS; with DISABLE clients do not present the mesh certificate and are refused',
      ),
    ).toHaveTextContent('DISABLE');
    expect(
      screen.queryByText(/The backend may not read/),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('No findings: everything checked meets the baseline.'),
    ).toBeInTheDocument();
  });

  it('says so when no DestinationRule or VirtualService exists and nobody is restricted', async () => {
    const base = istioWorkload('user-service');
    await renderCard(
      istioSectionWith(
        {
          ...base,
          traffic: [],
          resilience: [],
          authorization: {
            ...base.authorization,
            decision: 'allow-all',
            rules: [],
            jwt: [],
          },
        },
        {
          findings: [
            createFinding(
              'MG-ISTIO-003',
              'kubernetes/Namespace/parallel-ai',
              'No enforced ALLOW policy restricts callers',
            ),
          ],
        },
      ),
    );
    const workload = await workloadRegion(
      'user-service.parallel-ai.svc.cluster.local',
    );

    expect(
      workload.getByText(
        'Every caller: no enforced ALLOW policy selects this workload. With mTLS PERMISSIVE, that includes plain-text clients from outside the mesh.',
      ),
    ).toBeInTheDocument();
    expect(
      workload.getByText(/no RequestAuthentication selects this workload/),
    ).toBeInTheDocument();
    expect(
      workload.getByText(
        /No VirtualService routes user-service\.parallel-ai\.svc\.cluster\.local/,
      ),
    ).toBeInTheDocument();
    expect(
      workload.getByText(
        'No DestinationRule for user-service.parallel-ai.svc.cluster.local: no outlier detection and no connection limits.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/istioctl analyze/)).not.toBeInTheDocument();
  });

  it('shows one view per cluster', async () => {
    const view = istioWorkload('user-service');
    await renderCard(
      istioSection('user-service', {
        data: {
          workloads: [
            { ...view, cluster: 'eu-west' },
            { ...view, cluster: 'us-east' },
          ],
        },
      }),
    );

    expect(
      await screen.findByRole('region', {
        name: 'Istio workload user-service.parallel-ai.svc.cluster.local in cluster eu-west',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', {
        name: 'Istio workload user-service.parallel-ai.svc.cluster.local in cluster us-east',
      }),
    ).toBeInTheDocument();
  });

  it('reads the section again on refresh', async () => {
    const getSection = jest
      .fn()
      .mockResolvedValueOnce(istioSection('user-service'))
      .mockResolvedValueOnce(
        istioSectionWith({
          ...istioWorkload('user-service'),
          cluster: 'after-refresh',
        }),
      );
    await renderWithEntity(
      <EntityIstioPoliciesCard />,
      { getSection },
      { entity: userService },
    );
    await workloadRegion('user-service.parallel-ai.svc.cluster.local');

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(
      await screen.findByText('cluster after-refresh, namespace parallel-ai'),
    ).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledTimes(2);
  });
});
