import { useEffect, useRef } from 'react';
import { isCommandKey, runCommand, type CommandContext } from './commands';

/** Runs the command registry on key presses anywhere in the console. */
export function useCommands(context: () => CommandContext): void {
  const contextRef = useRef(context);
  useEffect(() => {
    contextRef.current = context;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !isCommandKey(event)) return;
      // Enter on a focused button activates that button, not the queue.
      if (event.key === 'Enter' && event.target instanceof HTMLButtonElement) return;
      if (runCommand(event, contextRef.current())) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
