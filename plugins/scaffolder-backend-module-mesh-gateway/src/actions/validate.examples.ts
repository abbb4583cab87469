import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Validates the configuration at the root of the workspace.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'mesh-gateway:validate',
          name: 'Validate the configuration',
        },
      ],
    }),
  },
  {
    description:
      'Validates what mesh-gateway:generate wrote, accepting the baseline departures the spec chose.',
    example: yaml.stringify({
      steps: [
        {
          id: 'generate',
          action: 'mesh-gateway:generate',
          name: 'Generate the configuration',
          input: {
            name: 'user',
            owner: 'group:default/identity',
            auth: { type: 'key-auth' },
            targetPath: 'deploy',
          },
        },
        {
          id: 'validate',
          action: 'mesh-gateway:validate',
          name: 'Validate the configuration',
          input: {
            path: '${{ steps.generate.output.targetPath }}',
            acceptedFindings: '${{ steps.generate.output.acceptedFindings }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Validates a folder, accepting that the service uses other timeouts than 30 s.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'mesh-gateway:validate',
          name: 'Validate deploy/',
          input: { path: 'deploy', acceptedFindings: ['MG-KONG-008'] },
        },
      ],
    }),
  },
];
