import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  line: {
    stroke: '#7df3e1',
    strokeWidth: 2.5,
  },
  node: {
    fill: '#7df3e1',
  },
});

/** The mark: a gateway node (left) fanning out into a small mesh. */
export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="mesh-gateway"
    >
      <path
        className={classes.line}
        d="M6 16 L18 6 L28 11 L28 21 L18 26 Z M6 16 L28 11 M6 16 L28 21 M18 6 L18 26"
        fill="none"
      />
      <circle className={classes.node} cx="6" cy="16" r="4" />
      <circle className={classes.node} cx="18" cy="6" r="3" />
      <circle className={classes.node} cx="28" cy="11" r="3" />
      <circle className={classes.node} cx="28" cy="21" r="3" />
      <circle className={classes.node} cx="18" cy="26" r="3" />
    </svg>
  );
};
