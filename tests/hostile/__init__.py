"""The hostile-repository corpus (issue 23): one module per finding, each reproducing what a repository,
a remote party or a store thief could do, and checking it no longer works. Run with the normal suite."""
