package handlers

// WorkspaceService is every workspace interface the handlers declare, as Deps takes it
// (*workspace.Workspace).
type WorkspaceService interface {
	WorkspaceReader
	StarService
	SettingsService
	GroupService
}
