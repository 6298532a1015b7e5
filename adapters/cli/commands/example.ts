import { Option, type Command } from 'commander';
import { encodeJson, encodeXml } from '../../../contracts/codec';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { forms } from '../../../contracts/forms';
import { kebab } from '../../../contracts/schema/generate';
import type { CommandContext, CommandModule } from './index';

/** The form named `name`, as declared (`SampleReport`) or in kebab case (`sample-report`), any case. */
function findForm(name: string) {
  const wanted = name.toLowerCase();
  return forms.find((f) => f.name.toLowerCase() === wanted || kebab(f.name) === wanted);
}

/** `mmgw example FORM [--format xml|json]`: prints the form's example message, as published in contracts/examples/. */
export const exampleCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command('example')
      .description('print a valid example message of a form, as published in contracts/examples/')
      .argument('<form>', `the form, e.g. SampleReport or sample-report (one of: ${forms.map((f) => f.name).join(', ')})`)
      .addOption(new Option('--format <format>', 'output format').choices(['xml', 'json']).default('json'))
      .addHelpText('after', '\nExample: mmgw example IncidentReport --format xml > incident-report.xml')
      .action((name: string, opts: { format: 'xml' | 'json' }) => {
        const form = findForm(name);
        if (form === undefined) {
          throw new GatewayError('usage.unknown-choice', `unknown form "${name}"; valid forms: ${forms.map((f) => f.name).join(', ')}`, { field: 'FORM' });
        }
        const doc = form.example as unknown as Record<string, unknown>;
        ctx.io.out(opts.format === 'xml' ? encodeXml(doc, { pretty: true }) : encodeJson(doc));
      });
  },
};
