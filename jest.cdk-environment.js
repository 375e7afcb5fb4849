// The test environment: jest's Node environment, plus CloudFormation validation engines kept for the whole worker.
//
// The platform's apps enable '@aws-cdk/core:validateAgainstDefaultRules', so every synth in a test validates
// its templates with aws-cdk-lib's rules, compiled into an engine in WebAssembly. Building an engine takes
// seconds, and jest gives each test file its own copy of every module, so each file built its engines again for
// the same rules. This module lives outside the test files' sandboxes: jest.cloudformation-validate.js hands the
// sandboxes its copy of @aws/cloudformation-validate, whose engines are kept per rule set. Validation is
// unchanged: an engine is built from exactly the rules aws-cdk-lib asks for, and validates each template on its
// own; a template that breaks a rule still fails the synth.
'use strict';

const path = require('node:path');

const { TestEnvironment } = require('jest-environment-node');

/** The global through which the sandboxes reach this module's copy (jest.cloudformation-validate.js reads it). */
const GLOBAL_NAME = '__platformSharedCloudFormationValidate';

let shared;

/** The module, loaded on first use, with CompositeEngine keeping one engine per configuration. */
function sharedValidateModule() {
  if (shared) return shared;
  // The copy aws-cdk-lib's own `require('@aws/cloudformation-validate')` would load.
  const validate = require(
    require.resolve('@aws/cloudformation-validate', {
      paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))],
    }),
  );
  const engines = new Map();
  // The module accepts only plain objects of its own realm: what a sandbox passes in is copied into this one.
  function CompositeEngine(config) {
    const key = JSON.stringify(config);
    let engine = engines.get(key);
    if (!engine) {
      engine = new validate.CompositeEngine(structuredClone(config));
      engines.set(key, engine);
    }
    // The engine's methods, except that freeing it is left to the worker's exit: other test files reuse it.
    const view = Object.create(engine);
    view.free = () => undefined;
    view.validateTemplate = (template, options) => {
      try {
        return engine.validateTemplate(template, structuredClone(options));
      } catch (error) {
        // A failure may have ended the WebAssembly instance every kept engine runs on: from here on build anew.
        engines.clear();
        throw error;
      }
    };
    return view;
  }
  shared = { ...validate, CompositeEngine };
  return shared;
}

class CdkEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[GLOBAL_NAME] = sharedValidateModule;
  }
}

module.exports = CdkEnvironment;
