// What a test file gets for @aws/cloudformation-validate (jest.config.js maps the module here): the worker's one
// copy, which jest.cdk-environment.js keeps outside the test files' sandboxes and says why.
'use strict';

module.exports = globalThis.__platformSharedCloudFormationValidate();
