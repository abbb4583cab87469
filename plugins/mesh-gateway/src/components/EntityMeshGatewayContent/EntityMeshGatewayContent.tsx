import Grid from '@material-ui/core/Grid';
import { EntityKongPluginsCard, EntityKongRoutesCard } from '../kong';
import { EntityIstioPoliciesCard } from '../istio';
import { EntityTracesCard } from '../traces';
import { EntityServiceGraphCard } from '../serviceGraph';
import { EntityGoldenSignalsCard } from '../metrics';
import { EntityCertificateHealthCard } from '../certificates';

/** The cards of the Mesh tab, in order; each concern adds its card here. */
const meshCards = [
  { id: 'kong-routes', Card: EntityKongRoutesCard },
  { id: 'kong-plugins', Card: EntityKongPluginsCard },
  { id: 'istio-policies', Card: EntityIstioPoliciesCard },
  { id: 'golden-signals', Card: EntityGoldenSignalsCard },
  { id: 'traces', Card: EntityTracesCard },
  { id: 'certificates', Card: EntityCertificateHealthCard },
  { id: 'service-graph', Card: EntityServiceGraphCard },
];

/**
 * The Mesh tab of an entity page: what the gateway and the mesh do for the entity.
 *
 * @public
 */
export function EntityMeshGatewayContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      {meshCards.map(({ id, Card }) => (
        <Grid item xs={12} key={id}>
          <Card />
        </Grid>
      ))}
    </Grid>
  );
}
