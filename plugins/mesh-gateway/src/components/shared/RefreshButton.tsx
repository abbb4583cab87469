import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';

export function RefreshButton(props: {
  onClick: () => void;
  disabled?: boolean;
}) {
  return (
    <Tooltip title="Refresh">
      <span>
        <IconButton
          aria-label="Refresh"
          onClick={props.onClick}
          disabled={props.disabled}
        >
          <RefreshIcon />
        </IconButton>
      </span>
    </Tooltip>
  );
}
