import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  entityRouteParamsSchema,
  meshGatewayEntityReadPermission,
  MeshGatewaySectionName,
} from '@internal/plugin-mesh-gateway-common';
import express, { Request, Response } from 'express';
import { z } from 'zod';
import Router from 'express-promise-router';
import type { MeshSectionService } from './MeshSectionService';
import { parseWindowLength } from '../traces';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  sections: MeshSectionService;
}

const querySchema = z
  .object({
    /** Bypass the cache and read the upstreams now. */
    refresh: z.enum(['true', 'false']).optional(),
    /** The time window of the traces and metrics sections, like 30m, 2h or 1d. */
    window: z
      .string()
      .max(16)
      .superRefine((value, ctx) => {
        try {
          parseWindowLength(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      })
      .optional(),
  })
  .strict();

function parseQuery(req: Request) {
  const parsed = querySchema.safeParse(req.query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `query parameter "${issue.path.join('.')}"` : 'query';
    throw new InputError(
      issue.code === 'unrecognized_keys'
        ? `Unknown query parameter ${issue.keys.map(k => `"${k.slice(0, 64)}"`).join(', ')}; allowed: refresh, window`
        : `Invalid ${where}: ${issue.message}`,
    );
  }
  return { refresh: parsed.data.refresh === 'true', window: parsed.data.window };
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, catalog, sections } = options;
  const router = Router();
  router.use(express.json());

  /**
   * Loads the entity with the caller's own credentials: an entity the caller cannot read is
   * indistinguishable from one that does not exist.
   */
  const loadEntity = async (req: Request) => {
    const parsed = entityRouteParamsSchema.safeParse(req.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(`Invalid entity reference: ${issue.message}`);
    }
    const { namespace, kind, name } = parsed.data;
    const entityRef = `${kind.toLocaleLowerCase('en-US')}:${namespace.toLocaleLowerCase('en-US')}/${name}`;
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });

    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} found`);
    }
    const [decision] = await permissions.authorize(
      [{ permission: meshGatewayEntityReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to read the mesh view of ${entityRef}`);
    }
    return entity;
  };

  /** The handler's own time, for browsers' developer tools and the benchmark. */
  const serverTiming = (res: Response, started: bigint) =>
    res.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(3)}`);

  router.get('/v1/entities/:namespace/:kind/:name', async (req, res) => {
    const started = process.hrtime.bigint();
    const query = parseQuery(req);
    const entity = await loadEntity(req);
    const overview = await sections.getOverview(entity, query);
    serverTiming(res, started);
    res.json(overview);
  });

  router.get('/v1/entities/:namespace/:kind/:name/:section', async (req, res) => {
    const started = process.hrtime.bigint();
    const section = req.params.section as MeshGatewaySectionName;
    if (!sections.sections.includes(section)) {
      throw new NotFoundError(
        `Unknown section "${String(req.params.section).slice(0, 64)}"; the sections are ${sections.sections.join(', ')}`,
      );
    }
    const query = parseQuery(req);
    const entity = await loadEntity(req);
    let outcome = 'miss';
    const result = await sections.getSection(entity, section, {
      ...query,
      onOutcome: o => {
        outcome = o;
      },
    });
    res.setHeader('X-Mesh-Gateway-Cache', outcome);
    serverTiming(res, started);
    res.json(result);
  });

  router.use(() => {
    throw new NotFoundError(
      'No such mesh-gateway route; use /v1/entities/:namespace/:kind/:name[/:section]',
    );
  });

  return router;
}
