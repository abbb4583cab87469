import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatClock } from './format';

/** One point of a chart: its time and a value (or null) per line key. */
export type ChartPoint = { t: number } & Record<string, number | null>;

export interface ChartLine {
  /** Key of the value in each point. */
  key: string;
  /** Legend text. */
  name: string;
  color: string;
  dashed?: boolean;
}

export interface ChartReference {
  value: number;
  label: string;
  /** Where the label sits: above the line (default) or below it, so two close lines stay readable. */
  labelBelow?: boolean;
}

export interface SignalChartProps {
  title: string;
  data: ChartPoint[];
  lines: ChartLine[];
  /** Horizontal lines such as an SLO objective; the axis always reaches them. */
  references?: ChartReference[];
  formatValue: (value: number) => string;
  height?: number;
}

/** A small line chart over the window, with reference lines for the objectives. */
export function SignalChart(props: SignalChartProps) {
  const { title, data, lines, references = [], formatValue, height = 180 } = props;
  const theme = useTheme();
  return (
    <Box component="figure" m={0} aria-label={title}>
      <Typography variant="subtitle2" component="figcaption">
        {title}
      </Typography>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
          data={data}
          margin={{ top: 14, right: 24, bottom: 0, left: 0 }}
          style={{ fontFamily: theme.typography.fontFamily }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={formatClock}
            stroke={theme.palette.text.secondary}
            fontSize={11}
          />
          <YAxis
            width={56}
            tickFormatter={(value: number) => (value === 0 ? '0' : formatValue(value))}
            stroke={theme.palette.text.secondary}
            fontSize={11}
          />
          <Tooltip
            labelFormatter={value => formatClock(Number(value))}
            formatter={(value: number | string) => (typeof value === 'number' ? formatValue(value) : value)}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {references.map(reference => (
            <ReferenceLine
              key={reference.label}
              y={reference.value}
              stroke={theme.palette.error.main}
              strokeDasharray="4 4"
              ifOverflow="extendDomain"
              label={{
                value: reference.label,
                // For a horizontal line recharts' "insideTop" sits below it and "insideBottom" above it.
                position: reference.labelBelow ? 'insideTopRight' : 'insideBottomRight',
                fontSize: 11,
                fill: theme.palette.error.main,
              }}
            />
          ))}
          {lines.map(line => (
            <Line
              key={line.key}
              type="monotone"
              dataKey={line.key}
              name={line.name}
              stroke={line.color}
              strokeDasharray={line.dashed ? '5 3' : undefined}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Box>
  );
}
