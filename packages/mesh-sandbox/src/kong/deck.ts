import { parse } from 'yaml';
import { z } from 'zod';
import {
  KongDatasetBuilder,
  KongDatasetBuilderOptions,
  KongPluginInput,
} from './dataset';
import type { KongDataset } from './types';

/*
 * decK state files (`deck gateway dump`, format 1.1 / 2.1 / 3.0), after
 * Kong/go-database-reconciler pkg/file/kong_json_schema.json. Entities nest: services hold routes
 * and plugins, routes hold plugins, consumers hold credentials and plugins, upstreams hold
 * targets, certificates hold SNIs. References to other entities are names or ids.
 */

const tags = z.array(z.string()).nullish();
const id = z.string().optional();
const ref = z.union([
  z.string(),
  z.object({
    id: z.string().optional(),
    name: z.string().optional(),
    username: z.string().optional(),
  }),
]);
const config = z.record(z.string(), z.unknown());
const addresses = z
  .array(
    z.object({ ip: z.string().optional(), port: z.number().int().optional() }),
  )
  .nullish();

const deckPlugin = z.object({
  id,
  name: z.string().min(1),
  instance_name: z.string().nullish(),
  config: config.optional(),
  enabled: z.boolean().optional(),
  protocols: z.array(z.string()).optional(),
  tags,
  service: ref.nullish(),
  route: ref.nullish(),
  consumer: ref.nullish(),
  ordering: config.nullish(),
});

const deckRoute = z.object({
  id,
  name: z.string().nullish(),
  service: ref.nullish(),
  protocols: z.array(z.string()).optional(),
  methods: z.array(z.string()).nullish(),
  hosts: z.array(z.string()).nullish(),
  paths: z.array(z.string()).nullish(),
  headers: z.record(z.string(), z.array(z.string())).nullish(),
  https_redirect_status_code: z.number().int().optional(),
  regex_priority: z.number().int().optional(),
  strip_path: z.boolean().optional(),
  path_handling: z.string().optional(),
  preserve_host: z.boolean().optional(),
  request_buffering: z.boolean().optional(),
  response_buffering: z.boolean().optional(),
  snis: z.array(z.string()).nullish(),
  sources: addresses,
  destinations: addresses,
  tags,
  plugins: z.array(deckPlugin).optional(),
});

const deckService = z.object({
  id,
  name: z.string().min(1),
  url: z.string().optional(),
  host: z.string().optional(),
  port: z.number().int().optional(),
  protocol: z.string().optional(),
  path: z.string().nullish(),
  retries: z.number().int().optional(),
  connect_timeout: z.number().int().optional(),
  read_timeout: z.number().int().optional(),
  write_timeout: z.number().int().optional(),
  enabled: z.boolean().optional(),
  tls_verify: z.boolean().nullish(),
  tls_verify_depth: z.number().int().nullish(),
  ca_certificates: z.array(z.string()).nullish(),
  client_certificate: ref.nullish(),
  tags,
  routes: z.array(deckRoute).optional(),
  plugins: z.array(deckPlugin).optional(),
});

const deckConsumer = z.object({
  id,
  username: z.string().nullish(),
  custom_id: z.string().nullish(),
  tags,
  keyauth_credentials: z
    .array(z.object({ id, key: z.string(), ttl: z.number().nullish(), tags }))
    .optional(),
  jwt_secrets: z
    .array(
      z.object({
        id,
        key: z.string(),
        secret: z.string(),
        algorithm: z.string().optional(),
        rsa_public_key: z.string().nullish(),
        tags,
      }),
    )
    .optional(),
  basicauth_credentials: z
    .array(z.object({ id, username: z.string(), password: z.string(), tags }))
    .optional(),
  hmacauth_credentials: z
    .array(z.object({ id, username: z.string(), secret: z.string(), tags }))
    .optional(),
  acls: z.array(z.object({ id, group: z.string(), tags })).optional(),
  plugins: z.array(deckPlugin).optional(),
});

const deckUpstream = z.object({
  id,
  name: z.string().min(1),
  algorithm: z.string().optional(),
  hash_on: z.string().optional(),
  hash_fallback: z.string().optional(),
  hash_on_header: z.string().nullish(),
  hash_fallback_header: z.string().nullish(),
  hash_on_cookie: z.string().nullish(),
  hash_on_cookie_path: z.string().optional(),
  hash_on_query_arg: z.string().nullish(),
  hash_fallback_query_arg: z.string().nullish(),
  hash_on_uri_capture: z.string().nullish(),
  hash_fallback_uri_capture: z.string().nullish(),
  slots: z.number().int().optional(),
  healthchecks: z.record(z.string(), z.unknown()).optional(),
  host_header: z.string().nullish(),
  client_certificate: ref.nullish(),
  use_srv_name: z.boolean().optional(),
  tags,
  targets: z
    .array(
      z.object({
        id,
        target: z.string(),
        weight: z.number().int().optional(),
        tags,
      }),
    )
    .optional(),
});

const deckSni = z.object({ id, name: z.string().min(1), tags });

const deckFile = z.object({
  _format_version: z.enum(['1.1', '2.1', '3.0']),
  _workspace: z.string().optional(),
  services: z.array(deckService).optional(),
  routes: z.array(deckRoute).optional(),
  plugins: z.array(deckPlugin).optional(),
  consumers: z.array(deckConsumer).optional(),
  upstreams: z.array(deckUpstream).optional(),
  certificates: z
    .array(
      z.object({
        id,
        cert: z.string(),
        key: z.string(),
        cert_alt: z.string().nullish(),
        key_alt: z.string().nullish(),
        tags,
        snis: z.array(deckSni).optional(),
      }),
    )
    .optional(),
  snis: z.array(deckSni.extend({ certificate: ref })).optional(),
  ca_certificates: z.array(z.object({ id, cert: z.string(), tags })).optional(),
  vaults: z
    .array(
      z.object({
        id,
        name: z.string(),
        prefix: z.string(),
        description: z.string().nullish(),
        config: config.optional(),
        tags,
      }),
    )
    .optional(),
});

/** @public */
export type DeckFile = z.infer<typeof deckFile>;

/** @public */
export interface LoadDeckDumpOptions extends KongDatasetBuilderOptions {
  /** Entities to load the file on top of. */
  base?: KongDataset;
}

function withoutNested<T extends object, K extends keyof T>(
  value: T,
  ...keys: K[]
): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/**
 * Loads a decK state file (YAML or JSON) into a dataset, as `deck gateway sync` would into an
 * empty Kong: defaults filled in, references resolved, uniqueness checked. Throws with the
 * offending path when the file does not match decK's format.
 *
 * @public
 */
export function loadDeckDump(
  text: string,
  options: LoadDeckDumpOptions = {},
): KongDataset {
  const parsed = deckFile.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid decK file at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const file = parsed.data;
  const kong = options.base
    ? KongDatasetBuilder.from(options.base, options)
    : new KongDatasetBuilder(options);
  const plugins: KongPluginInput[] = [];
  const collect = (
    list: z.infer<typeof deckPlugin>[] | undefined,
    scope: Partial<KongPluginInput>,
  ) => {
    for (const p of list ?? []) {
      plugins.push({ ...p, ...scope });
    }
  };

  for (const vault of file.vaults ?? []) kong.addVault(vault);
  for (const certificate of file.certificates ?? [])
    kong.addCertificate(certificate);
  for (const sni of file.snis ?? []) kong.addSni(sni);
  for (const ca of file.ca_certificates ?? []) kong.addCaCertificate(ca);

  for (const upstream of file.upstreams ?? []) {
    const created = kong.addUpstream(withoutNested(upstream, 'targets'));
    for (const target of upstream.targets ?? []) {
      kong.addTarget({ ...target, upstream: created.id });
    }
  }

  const addRoute = (
    route: z.infer<typeof deckRoute>,
    service: string | null,
  ) => {
    const created = kong.addRoute({
      ...withoutNested(route, 'plugins'),
      service: service ?? route.service ?? null,
    });
    collect(route.plugins, { route: created.id });
  };
  for (const service of file.services ?? []) {
    const created = kong.addService(
      withoutNested(service, 'routes', 'plugins'),
    );
    for (const route of service.routes ?? []) addRoute(route, created.id);
    collect(service.plugins, { service: created.id });
  }
  for (const route of file.routes ?? []) addRoute(route, null);

  for (const consumer of file.consumers ?? []) {
    const created = kong.addConsumer(
      withoutNested(
        consumer,
        'keyauth_credentials',
        'jwt_secrets',
        'basicauth_credentials',
        'hmacauth_credentials',
        'acls',
        'plugins',
      ),
    );
    const owner = { consumer: created.id };
    for (const c of consumer.keyauth_credentials ?? [])
      kong.addKeyAuth({ ...c, ...owner });
    for (const c of consumer.jwt_secrets ?? [])
      kong.addJwtSecret({ ...c, ...owner });
    // decK dumps the stored (hashed) basic-auth password.
    for (const c of consumer.basicauth_credentials ?? [])
      kong.addBasicAuth({ ...c, ...owner, hashed: true });
    for (const c of consumer.hmacauth_credentials ?? [])
      kong.addHmacAuth({ ...c, ...owner });
    for (const c of consumer.acls ?? []) kong.addAcl({ ...c, ...owner });
    collect(consumer.plugins, owner);
  }

  collect(file.plugins, {});
  for (const plugin of plugins) kong.addPlugin(plugin);
  return kong.build();
}
