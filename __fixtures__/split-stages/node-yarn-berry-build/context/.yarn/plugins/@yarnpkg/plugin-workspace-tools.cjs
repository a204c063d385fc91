// stands in for the workspace-tools plugin
