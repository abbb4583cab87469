import { REDACTED } from '@internal/plugin-mesh-gateway-common';
import {
  isVaultReference,
  redactPluginConfig,
  secretPathsFromPluginSchema,
} from './redaction';

describe('secretPathsFromPluginSchema', () => {
  it('finds encrypted and referenceable fields through records, arrays and maps', () => {
    const schema = {
      fields: [
        { protocols: { type: 'set' } },
        {
          config: {
            type: 'record',
            fields: [
              { minute: { type: 'number' } },
              {
                redis: {
                  type: 'record',
                  fields: [
                    { host: { type: 'string' } },
                    { password: { type: 'string', referenceable: true } },
                  ],
                },
              },
              { signing_key: { type: 'string', encrypted: true } },
              {
                targets: {
                  type: 'array',
                  elements: {
                    type: 'record',
                    fields: [{ token: { type: 'string', encrypted: true, referenceable: true } }],
                  },
                },
              },
              { extra: { type: 'map', values: { type: 'string', referenceable: true } } },
            ],
          },
        },
      ],
    };
    expect(secretPathsFromPluginSchema(schema)).toEqual([
      ['redis', 'password'],
      ['signing_key'],
      ['targets', '*', 'token'],
      ['extra', '*'],
    ]);
  });

  it('returns nothing for a schema it cannot read', () => {
    expect(secretPathsFromPluginSchema(undefined)).toEqual([]);
    expect(secretPathsFromPluginSchema({ fields: 'nope' })).toEqual([]);
  });
});

describe('redactPluginConfig', () => {
  it.each([
    ['schema-marked field', 'custom', { signing_key: 's3cr3t-1' }, [['signing_key']], { signing_key: REDACTED }],
    ['nested schema path with wildcard', 'ai-proxy-advanced', { targets: [{ token: 's3cr3t-2', model: 'x' }] }, [['targets', '*', 'token']], { targets: [{ token: REDACTED, model: 'x' }] }],
    ['static list: rate-limiting redis password', 'rate-limiting', { minute: 5, redis: { host: 'r', password: 's3cr3t-3', username: 'u-s3cr3t' } }, [], { minute: 5, redis: { host: 'r', password: REDACTED, username: REDACTED } }],
    ['static list: aws-lambda keys', 'aws-lambda', { aws_key: 's3cr3t-4', aws_secret: 's3cr3t-5', aws_assume_role_arn: 'arn:s3cr3t', function_name: 'f' }, [], { aws_key: REDACTED, aws_secret: REDACTED, aws_assume_role_arn: REDACTED, function_name: 'f' }],
    ['static list: header values of http-log', 'http-log', { headers: { Authorization: 'Bearer s3cr3t-6' } }, [], { headers: { Authorization: REDACTED } }],
    ['static list: acme storage tokens', 'acme', { storage_config: { vault: { token: 's3cr3t-7', host: 'v' } } }, [], { storage_config: { vault: { token: REDACTED, host: 'v' } } }],
    ['secret field names at any depth', 'ai-proxy', { auth: { header_name: 'x-api-key', header_value: 's3cr3t-8' } }, [], { auth: { header_name: 'x-api-key', header_value: REDACTED } }],
    ['credentials inside an endpoint URL', 'http-log', { http_endpoint: 'https://user:s3cr3t-9@logs.example.com/in?token=s3cr3t-10' }, [], { http_endpoint: `https://${encodeURIComponent(REDACTED)}@logs.example.com/in?token=${encodeURIComponent(REDACTED)}` }],
    ['a Redis username at any depth (AI plugins)', 'ai-semantic-cache', { vectordb: { redis: { host: 'r', username: 'u-s3cr3t-11' }, dimensions: 3 }, username_claim: 'sub' }, [], { vectordb: { redis: { host: 'r', username: REDACTED }, dimensions: 3 }, username_claim: 'sub' }],
    ['null secrets stay null', 'session', { secret: null }, [], { secret: null }],
  ])('%s', (_name, plugin, config, schemaPaths, expected) => {
    expect(redactPluginConfig(plugin, config, schemaPaths as string[][])).toEqual(expected);
  });

  it('keeps vault references as they are, never resolving them', () => {
    const config = { redis: { password: '{vault://env/redis-password}' } };
    expect(redactPluginConfig('rate-limiting', config)).toEqual(config);
    expect(isVaultReference('{vault://aws/secret/key}')).toBe(true);
    expect(isVaultReference('plain')).toBe(false);
  });

  it('does not change the input object', () => {
    const config = { secret: 'keep-me-in-input' };
    redactPluginConfig('session', config);
    expect(config.secret).toBe('keep-me-in-input');
  });

  it('leaves nothing of a secret in the serialised output', () => {
    const out = JSON.stringify(
      redactPluginConfig('openid-connect', {
        client_secret: ['s3cr3t-a', 's3cr3t-b'],
        session_secret: 's3cr3t-c',
        issuer: 'https://idp',
      }),
    );
    expect(out).not.toMatch(/s3cr3t/);
    expect(out).toContain('https://idp');
  });
});
