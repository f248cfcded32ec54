import { prettyFactory } from 'pino-pretty';

/**
 * How `nx serve api` and `make dev` show the output of the processes they run. For people (stdout
 * is a terminal): each line labelled with its source, and the API's JSON log lines (pino's: a
 * numeric level) formatted by pino-pretty. For programs (a pipe or a file): the lines exactly as
 * written, so the API's JSON stays JSON. pino-pretty is a development dependency: the API itself
 * only ever writes JSON.
 */
export function logFormatter(isTerminal = Boolean(process.stdout.isTTY)) {
  if (!isTerminal) return (_source: string, line: string) => line;
  const pretty = prettyFactory({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    singleLine: true,
  });
  const width = 5;
  return (source: string, line: string) => {
    const label = `${source.padEnd(width)} |`;
    return `${label} ${isPinoLine(line) ? pretty(line).trimEnd() : line}`;
  };
}

function isPinoLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    return typeof (JSON.parse(line) as { level?: unknown }).level === 'number';
  } catch {
    return false;
  }
}
