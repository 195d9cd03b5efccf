export async function main(_args: string[]): Promise<number> {
  process.stderr.write('tail: not built yet\n');
  return 1;
}
