// Jest setup for every test file.
// A deprecated aws-cdk-lib API used anywhere in the toolkit fails the test that reaches it, instead of printing a
// warning with a stack trace (jsii's JSII_DEPRECATED modes: warn, fail, quiet).
process.env.JSII_DEPRECATED = 'fail';
// These machines run Node.js 20, which the AWS SDK warns about on every client it creates; the warning says nothing
// about the code under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
