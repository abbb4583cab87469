import { useLayoutEffect, useRef, useState } from 'react';
import type { DependencyGraphTypes } from '@backstage/core-components';
import type { ServiceGraphNode } from '@internal/plugin-mesh-gateway-common';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  service: {
    fill: theme.palette.grey[300],
    stroke: theme.palette.grey[400],
  },
  gateway: {
    fill: theme.palette.info.light,
    stroke: theme.palette.info.main,
  },
  proxy: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.grey[500],
    strokeDasharray: '4 2',
  },
  focus: {
    fill: theme.palette.primary.main,
    stroke: theme.palette.primary.dark,
  },
  text: {
    fill: theme.palette.getContrastText(theme.palette.grey[300]),
  },
  focusText: {
    fill: theme.palette.primary.contrastText,
    fontWeight: 'bold',
  },
}));

const KIND_NAMES: Record<ServiceGraphNode['kind'], string> = {
  service: 'service',
  gateway: 'gateway (Kong)',
  proxy: 'mesh proxy',
};

/** A service of the graph: the entity's own service filled, Kong tinted, sidecars dashed. */
export function ServiceNode(
  props: DependencyGraphTypes.RenderNodeProps<ServiceGraphNode>,
) {
  const { id, kind, focus } = props.node;
  const classes = useStyles();
  const [size, setSize] = useState({ width: 0, height: 0 });
  const textRef = useRef<SVGTextElement | null>(null);

  useLayoutEffect(() => {
    if (!textRef.current) return;
    const box = textRef.current.getBBox();
    const width = Math.round(box.width);
    const height = Math.round(box.height);
    if (width !== size.width || height !== size.height)
      setSize({ width, height });
  }, [size.width, size.height]);

  const padding = 10;
  const width = size.width + padding * 2;
  const height = size.height + padding * 2;
  return (
    <g data-testid={`service-node-${id}`} data-focus={focus} data-kind={kind}>
      <rect
        className={focus ? classes.focus : classes[kind]}
        width={width}
        height={height}
        rx={kind === 'gateway' ? 2 : 10}
      />
      <text
        ref={textRef}
        className={focus ? classes.focusText : classes.text}
        x={width / 2}
        y={height / 2}
        textAnchor="middle"
        alignmentBaseline="middle"
      >
        {id}
      </text>
      <title>{`${id}: ${focus ? "this entity's service" : KIND_NAMES[kind]}`}</title>
    </g>
  );
}
