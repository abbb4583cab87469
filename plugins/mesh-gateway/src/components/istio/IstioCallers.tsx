import type { IstioWorkloadView } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AuthorizationRulesTable } from './AuthorizationRulesTable';
import {
  describeCallers,
  ruleName,
  rulesAdmittingRequestsWithoutToken,
} from './callers';
import { IstioSubsection } from './IstioSubsection';
import { ValueChips } from './ValueChips';

function Note(props: { label: string; items: string[]; children: string }) {
  if (props.items.length === 0) {
    return null;
  }
  return (
    <Typography variant="body2" paragraph>
      <strong>{props.label}:</strong> {props.items.join(', ')}. {props.children}
    </Typography>
  );
}

function JwtRequirements(props: { view: IstioWorkloadView }) {
  const { authorization } = props.view;
  if (authorization.jwt.length === 0) {
    return (
      <Typography variant="body2">
        <strong>JWT:</strong> no RequestAuthentication selects this workload, so
        the mesh validates no token (issuer and audience are checked nowhere
        here).
      </Typography>
    );
  }
  const tokenless =
    authorization.decision === 'deny-all'
      ? []
      : rulesAdmittingRequestsWithoutToken(authorization);
  return (
    <>
      <Typography variant="body2">
        <strong>JWT</strong> validated by the sidecar:
      </Typography>
      <Box component="ul" m={0} pl={2} aria-label="JWT issuers">
        {authorization.jwt.map(rule => (
          <li key={`${rule.policy} ${rule.issuer}`}>
            <Typography variant="body2" component="span">
              issuer <code>{rule.issuer || '(none)'}</code>, audiences{' '}
            </Typography>
            <ValueChips values={rule.audiences} empty="any audience" />
            <Typography
              variant="caption"
              color="textSecondary"
              component="span"
            >
              {' '}
              ({rule.policy})
            </Typography>
          </li>
        ))}
      </Box>
      {(authorization.decision === 'allow-all' || tokenless.length > 0) && (
        <Typography variant="body2" color="textSecondary">
          A request without a token still gets in
          {authorization.decision === 'allow-all'
            ? ': no ALLOW rule requires a request principal.'
            : ` through ${tokenless.map(ruleName).join(', ')}, which require no request principal.`}
        </Typography>
      )}
    </>
  );
}

/** Who can call the workload: the decision in words, the rules, and the JWTs it checks. */
export function IstioCallers(props: { view: IstioWorkloadView }) {
  const { view } = props;
  const { authorization } = view;
  return (
    <IstioSubsection title="Who can call this service">
      <Typography variant="body1" paragraph>
        {describeCallers(authorization, view.mtls.mode)}
      </Typography>
      <Note label="Dry-run, not enforced" items={authorization.dryRun}>
        istio.io/dry-run only logs what these policies would decide.
      </Note>
      <Note
        label="Attached by targetRefs"
        items={authorization.targetRefPolicies}
      >
        These apply to a waypoint or gateway, not to this workload&apos;s
        sidecar.
      </Note>
      {authorization.rules.length > 0 && (
        <Box mb={1}>
          <AuthorizationRulesTable rules={authorization.rules} />
        </Box>
      )}
      <JwtRequirements view={view} />
    </IstioSubsection>
  );
}
