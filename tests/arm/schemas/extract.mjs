// Rewrites the files in this folder from a clone of github.com/Azure/azure-resource-manager-schemas (MIT):
// for each resource type and API version CloudSketch emits (RESOURCES), its resource definition and every
// definition it reaches, descriptions dropped, in one self-contained schema. References to the common
// "expression" definition ("[...]" template expressions) point at a local copy; other references out of the
// file (VM extension types, which CloudSketch never nests) become `false`, so using them is a finding.
//
//   node tests/arm/schemas/extract.mjs /path/to/azure-resource-manager-schemas [commit]
//
// A new type or API version in shared/src/transform/emit_arm.cpp needs a line in RESOURCES and a rerun.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const RESOURCES = [
  ['Microsoft.Network/applicationSecurityGroups', '2023-09-01', 'Microsoft.Network.NRP.json', 'applicationSecurityGroups'],
  ['Microsoft.Network/networkSecurityGroups', '2023-09-01', 'Microsoft.Network.NRP.json', 'networkSecurityGroups'],
  ['Microsoft.Network/networkInterfaces', '2023-09-01', 'Microsoft.Network.NRP.json', 'networkInterfaces'],
  ['Microsoft.Network/publicIPAddresses', '2023-09-01', 'Microsoft.Network.NRP.json', 'publicIPAddresses'],
  ['Microsoft.Storage/storageAccounts', '2023-01-01', 'Microsoft.Storage.json', 'storageAccounts'],
  ['Microsoft.Storage/storageAccounts/blobServices/containers', '2023-01-01', 'Microsoft.Storage.json', 'storageAccounts_blobServices_containers'],
  ['Microsoft.Storage/storageAccounts/managementPolicies', '2023-01-01', 'Microsoft.Storage.json', 'storageAccounts_managementPolicies'],
  ['Microsoft.Compute/virtualMachines', '2023-09-01', 'Microsoft.Compute.json', 'virtualMachines'],
  ['Microsoft.Authorization/roleAssignments', '2022-04-01', 'Microsoft.Authorization.json', 'roleAssignments'],
];
const EXPRESSION = 'https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression';

const [repo, commit = 'HEAD'] = process.argv.slice(2);
if (!repo) throw new Error('usage: node extract.mjs /path/to/azure-resource-manager-schemas [commit]');
const gitDir = execFileSync('git', ['-C', repo, 'rev-parse', '--git-dir'], { encoding: 'utf8' }).trim();
const git = (...args) => execFileSync('git', ['--git-dir', path.resolve(repo, gitDir), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const sha = git('rev-parse', commit).trim();
const read = (file) => JSON.parse(git('show', `${sha}:${file}`));
const common = read('schemas/common/definitions.json');

// `names`: node is a map of property names (under "properties"), whose keys are data, not keywords.
function strip(node, refs, names = false) {
  if (Array.isArray(node)) return node.map((x) => strip(x, refs));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (names) {
      out[k] = strip(v, refs);
      continue;
    }
    if (k === 'description' && typeof v === 'string') continue;
    if (k === '$ref' && typeof v === 'string') {
      if (v === EXPRESSION) out.$ref = '#/definitions/expression';
      else if (v.startsWith('#/definitions/')) {
        refs.push(v.slice('#/definitions/'.length));
        out.$ref = v;
      } else return { $comment: `not extracted: ${v}`, not: {} };
      continue;
    }
    out[k] = strip(v, refs, k === 'properties');
  }
  return out;
}

for (const [type, apiVersion, file, name] of RESOURCES) {
  const source = read(`schemas/${apiVersion}/${file}`);
  const refs = [];
  const resource = strip(source.resourceDefinitions[name], refs);
  const definitions = { expression: common.definitions.expression };
  while (refs.length) {
    const d = refs.pop();
    if (d in definitions) continue;
    definitions[d] = null;
    definitions[d] = strip(source.definitions[d], refs);
  }
  const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
  const out = {
    $comment: `Azure/azure-resource-manager-schemas@${sha} schemas/${apiVersion}/${file} resourceDefinitions/${name} (MIT), descriptions dropped; regenerate with extract.mjs`,
    type, apiVersion, resource, definitions: sorted,
  };
  const target = path.join(import.meta.dirname, `${type.replace(/\//g, '.')}@${apiVersion}.json`);
  writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${path.basename(target)}: ${Object.keys(sorted).length} definitions`);
}
