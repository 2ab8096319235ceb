import { ActionIcon, AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text, Title, Tooltip, useMantineColorScheme } from '@mantine/core'
import { useDisclosure, useHotkeys } from '@mantine/hooks'
import { useEffect } from 'react'
import { Link, Route, Router, Switch, useLocation } from 'wouter'
import { useHashLocation } from 'wouter/use-hash-location'
import { DemoBanner } from './components/DemoBanner.js'
import { ConnectionBadge } from './ConnectionBadge.js'
import { SettingsTheme } from './components/SettingsTheme.js'
import { useAppStore } from './hostContext.js'
import { ROUTES, type StudioRoute } from './routes.js'

const SECTIONS = [...new Set(ROUTES.map((route) => route.section))]

/** The workbench: header, navigation by section, and the page of the current hash route. */
export function App() {
  const store = useAppStore()
  useEffect(() => {
    void store.getState().load()
  }, [store])
  // Hash routes work the same from file:// (Electron) and from sdf serve, with no server-side routing.
  return (
    <Router hook={useHashLocation}>
      <SettingsTheme />
      <Shell />
    </Router>
  )
}

function Shell() {
  const store = useAppStore()
  const [navOpen, { toggle: toggleNav }] = useDisclosure(false)
  const [location, navigate] = useLocation()
  const { toggleColorScheme, colorScheme } = useMantineColorScheme()
  useHotkeys([
    ['mod+J', () => toggleColorScheme()],
    ...ROUTES.slice(0, 9).map((route, index): [string, () => void] => [`mod+${index + 1}`, () => navigate(route.path)])
  ])
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Navigation" />
            <Title order={1} size="h4">
              SDF Studio
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ConnectionBadge store={store} />
            <Tooltip label="Light or dark theme (Ctrl/⌘+J)">
              <ActionIcon variant="default" onClick={toggleColorScheme} aria-label="Toggle colour theme" data-testid="theme-toggle">
                {colorScheme === 'dark' ? '☀' : '☾'}
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        <ScrollArea>
          <Stack gap={4}>
            {SECTIONS.map((section) => (
              <div key={section}>
                <Text size="xs" c="dimmed" fw={600} tt="uppercase" px="xs" pt="xs">
                  {section}
                </Text>
                {ROUTES.filter((route) => route.section === section).map((route) => (
                  <NavLink
                    key={route.path}
                    component={Link}
                    href={route.path}
                    label={route.label}
                    active={isActive(route, location)}
                    data-testid={`nav-${route.label.toLowerCase()}`}
                  />
                ))}
              </div>
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <DemoBanner />
        <Switch>
          {ROUTES.map((route) => (
            <Route key={route.path} path={route.path === '/' ? '/' : `${route.path}/*?`} component={route.page} />
          ))}
          <Route>
            <Text>No page here. Choose one on the left.</Text>
          </Route>
        </Switch>
      </AppShell.Main>
    </AppShell>
  )
}

function isActive(route: StudioRoute, location: string): boolean {
  return route.path === '/' ? location === '/' : location === route.path || location.startsWith(`${route.path}/`)
}
