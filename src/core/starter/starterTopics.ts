import type { z } from 'zod'
import type { TopicSchema } from '../schema/topic.js'

/**
 * Six contested but not hateful questions, each with an opening post and one or two first replies
 * (seed comments) by outside forum handles, so a discussion starts with a disagreement to react to.
 * Written by the SDF Studio team; the positions are typical of the debate, not ours.
 */
export const STARTER_TOPICS: readonly z.input<typeof TopicSchema>[] = [
  {
    id: 'example-topic-remote-work',
    example: true,
    title: 'Should employers be able to order staff back to the office?',
    text:
      'My company just announced that everyone has to be in the office four days a week from next month. ' +
      'We spent three years proving we can do the job from home, and now the commute is back, plus the ' +
      'childcare bills. Management says it is about "culture" and "collaboration". Is it fair to change ' +
      'the deal like this?',
    seed_comments: [
      {
        author: 'commute_hater_88',
        text:
          'It is not fair at all. If the work gets done, where I sit is my business. This is about ' +
          'justifying expensive office leases, nothing else.'
      },
      {
        author: 'old_school_manager',
        text:
          'Honestly, I have watched new hires struggle badly when they only ever see colleagues on a ' +
          'screen. Some things you only learn by sitting next to people. Four days is a lot, but zero ' +
          'is not working either.'
      }
    ]
  },
  {
    id: 'example-topic-cycle-lanes',
    example: true,
    title: 'A car lane on the high street is becoming a protected cycle lane',
    text:
      'The council has voted to turn one of the two car lanes on our main shopping street into a ' +
      'protected cycle lane. Supporters say it will make cycling safe for kids and cut traffic. Several ' +
      'shop owners say customers who drive will simply go to the retail park instead. What do you think?',
    seed_comments: [
      {
        author: 'pedal_power_pete',
        text:
          'About time. Every study I have seen says people on bikes and on foot spend more in local ' +
          'shops over a month than drivers do. Painted lines are not enough; physical separation saves lives.'
      },
      {
        author: 'corner_shop_sandra',
        text:
          'Easy to say if you do not run a business there. Half my customers are older people who cannot ' +
          'cycle and need to park close by. Nobody asked us.'
      }
    ]
  },
  {
    id: 'example-topic-ai-in-schools',
    example: true,
    title: 'Should students be allowed to use AI chatbots for homework?',
    text:
      'My daughter\'s school has banned AI chatbots for all homework and uses detection software on essays. ' +
      'Her friend\'s school does the opposite and teaches students how to use them properly. One of these ' +
      'approaches has to be wrong. Which one?',
    seed_comments: [
      {
        author: 'mr_hendricks_history',
        text:
          'As a teacher: the ban is unenforceable and the detectors are unreliable. I would rather teach ' +
          'kids to check what the tool says and to show their reasoning in class.'
      },
      {
        author: 'worried_parent_22',
        text:
          'If a machine writes the essay, the child never learns to write. Some struggle is the point of ' +
          'homework. I am glad my son\'s school bans it.'
      }
    ]
  },
  {
    id: 'example-topic-rent-control',
    example: true,
    title: 'Rent caps: protection for tenants, or why nobody builds?',
    text:
      'Our city is about to vote on capping rent increases at 3% a year for existing tenants. My rent went ' +
      'up 18% last year and I had no choice but to pay. Landlord groups say caps will mean fewer new flats ' +
      'and worse maintenance. Who is right?',
    seed_comments: [
      {
        author: 'tenant_union_tara',
        text:
          'People are being priced out of neighbourhoods they grew up in. A cap gives families a few years ' +
          'of stability. Housing is a home before it is an investment.'
      },
      {
        author: 'small_landlord_mike',
        text:
          'I own two flats. My mortgage, insurance and repair costs went up far more than 3%. If I cannot ' +
          'cover them I will sell, and that is one fewer rental on the market.'
      }
    ]
  },
  {
    id: 'example-topic-school-vaccination',
    example: true,
    title: 'Should routine vaccinations be required to enrol in school?',
    text:
      'A proposal in our region would require children to be up to date on routine childhood vaccinations ' +
      'before they can enrol in public school, with medical exemptions only. Supporters point to recent ' +
      'measles outbreaks; opponents say it takes a decision away from parents. Where do you stand?',
    seed_comments: [
      {
        author: 'school_nurse_alma',
        text:
          'I have seen what an outbreak does to a school, and to the kids who cannot be vaccinated for ' +
          'medical reasons. They depend on everyone else. A requirement protects them.'
      },
      {
        author: 'parent_of_three_dk',
        text:
          'My kids are vaccinated, but I am uneasy about the state making it a condition of going to ' +
          'school. Education is a right too. Why not invest in persuasion instead of exclusion?'
      }
    ]
  },
  {
    id: 'example-topic-tipping',
    example: true,
    title: 'Tipping has got out of hand',
    text:
      'The card machine at a self-service bakery asked me for a 20% tip yesterday. I pick up the bread ' +
      'myself. At the same time I know many service workers rely on tips to get by. Should tipping be ' +
      'replaced by higher wages and prices, or is it fine as it is?',
    seed_comments: [
      {
        author: 'ex_waiter_jules',
        text:
          'I waited tables for six years and tips paid my rent. Get rid of them only if wages really go up ' +
          'first, otherwise workers are the ones who lose.'
      }
    ]
  }
]
