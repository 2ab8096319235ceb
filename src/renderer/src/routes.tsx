import type { ComponentType } from 'react'
import { AnalysisPage } from './pages/analysis/AnalysisPage.js'
import { AnnotatePage } from './pages/annotate/AnnotatePage.js'
import { CorpusPage } from './pages/corpus/CorpusPage.js'
import { DesignerPage } from './pages/designer/DesignerPage.js'
import { ImportPage } from './pages/import/ImportPage.js'
import { AnnotatorsPage } from './pages/library/AnnotatorsPage.js'
import { InstructionsPage } from './pages/library/InstructionsPage.js'
import { PersonasPage } from './pages/library/PersonasPage.js'
import { TopicsPage } from './pages/library/TopicsPage.js'
import { ModelsPage } from './pages/models/ModelsPage.js'
import { OverviewPage } from './pages/overview/OverviewPage.js'
import { RunsPage } from './pages/runs/RunsPage.js'
import { SettingsPage } from './pages/settings/SettingsPage.js'
import { TranscriptsPage } from './pages/transcripts/TranscriptsPage.js'

export interface StudioRoute {
  /** The hash path, e.g. `/library/personas`; pages may own sub-paths below it (`/transcripts/:id`). */
  readonly path: string
  readonly label: string
  readonly section: 'Workspace' | 'Library' | 'Experiments' | 'Results' | 'System'
  readonly page: ComponentType
}

/** Every page, in navigation order; the n-th of the first nine opens with Ctrl/⌘+n. */
export const ROUTES: readonly StudioRoute[] = [
  { path: '/', label: 'Overview', section: 'Workspace', page: OverviewPage },
  { path: '/import', label: 'Import', section: 'Workspace', page: ImportPage },
  { path: '/library/personas', label: 'Personas', section: 'Library', page: PersonasPage },
  { path: '/library/topics', label: 'Topics', section: 'Library', page: TopicsPage },
  { path: '/library/instructions', label: 'Instructions', section: 'Library', page: InstructionsPage },
  { path: '/library/annotators', label: 'Annotators', section: 'Library', page: AnnotatorsPage },
  { path: '/corpus', label: 'Corpora', section: 'Library', page: CorpusPage },
  { path: '/designer', label: 'Designer', section: 'Experiments', page: DesignerPage },
  { path: '/runs', label: 'Runs', section: 'Experiments', page: RunsPage },
  { path: '/transcripts', label: 'Transcripts', section: 'Results', page: TranscriptsPage },
  { path: '/annotate', label: 'Annotation', section: 'Results', page: AnnotatePage },
  { path: '/analysis', label: 'Analysis', section: 'Results', page: AnalysisPage },
  { path: '/models', label: 'Models', section: 'System', page: ModelsPage },
  { path: '/settings', label: 'Settings', section: 'System', page: SettingsPage }
]
