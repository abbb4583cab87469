import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { MeshMetricsDataset } from './meshMetrics';

/*
 * The OpenMetrics text format as `promtool tsdb create-blocks-from openmetrics` reads it: one
 * `# TYPE`/`# HELP` per family before its samples, every sample with a timestamp in seconds, and
 * `# EOF` at the end.
 */

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',');
}

/**
 * The dataset as OpenMetrics text, in chunks of about `chunkBytes`. Values are written in their
 * shortest exact form, so the TSDB holds exactly the dataset's numbers; timestamps are whole
 * seconds (the dataset keeps them so), which the importer converts to milliseconds without loss.
 *
 * @public
 */
export function* openMetricsChunks(dataset: MeshMetricsDataset, chunkBytes = 1 << 20): Generator<string> {
  let chunk = '';
  for (const family of dataset.families) {
    chunk += `# TYPE ${family.name} ${family.type}\n# HELP ${family.name} ${escapeHelp(family.help)}\n`;
    for (const series of dataset.series) {
      if (series.family !== family.name) continue;
      const prefix = `${series.name}{${labelText(series.labels)}} `;
      const firstMs = dataset.startMs - series.offsetMs;
      for (let step = 0; step < series.values.length; step++) {
        const value = series.values[step];
        if (Number.isNaN(value)) continue;
        chunk += `${prefix}${value} ${(firstMs + step * dataset.intervalMs) / 1000}\n`;
      }
      if (chunk.length >= chunkBytes) {
        yield chunk;
        chunk = '';
      }
    }
  }
  yield `${chunk}# EOF\n`;
}

/** Writes the dataset to `file` as OpenMetrics text. @public */
export async function writeOpenMetrics(dataset: MeshMetricsDataset, file: string): Promise<void> {
  const stream = createWriteStream(file);
  const failed = once(stream, 'error').then(([error]) => {
    throw error;
  });
  try {
    for (const chunk of openMetricsChunks(dataset)) {
      if (!stream.write(chunk)) {
        await Promise.race([once(stream, 'drain'), failed]);
      }
    }
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
  } finally {
    failed.catch(() => {});
    stream.destroy();
  }
}
