import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
  },
  text: {
    color: '#7df3e1',
    fontSize: 20,
    fontWeight: 700,
    whiteSpace: 'nowrap',
  },
});

export const LogoFull = () => {
  const classes = useStyles();

  return (
    <div className={classes.root}>
      <LogoIcon />
      <span className={classes.text}>mesh-gateway</span>
    </div>
  );
};
