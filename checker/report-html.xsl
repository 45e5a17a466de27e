<?xml version="1.0" encoding="UTF-8"?>
<!-- report-html.xsl - the privcheck HTML report: the XML report
     (urn:privcheck:report:1, checker/report.rng) as one self-contained
     page for a legal reader. Inline CSS, no script, nothing fetched; it
     reads on a phone and prints to A4 or Letter (each section starts a
     page, table headers repeat, rows are not cut). Restyle it by copying
     this file and naming it with the stylesheet option of check; privcheck runs
     it with every file and network access forbidden, so it must stay one
     file (no xsl:include, xsl:import or document()). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:r="urn:privcheck:report:1"
    exclude-result-prefixes="r">

  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <!-- Findings that count, grouped by the policy section of their first
       clause, then by the element they are about. -->
  <xsl:key name="by-section" match="r:finding[@suppressed = 'false']"
           use="string(@section)"/>
  <xsl:key name="by-object" match="r:finding[@suppressed = 'false']"
           use="concat(@section, '|', @file, '|', @group)"/>
  <xsl:key name="clause" match="r:coverage/r:clause" use="@id"/>

  <xsl:template match="/r:report">
    <html lang="en">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta http-equiv="Content-Security-Policy"
              content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>
        <meta name="generator" content="{r:tool/@name} {r:tool/@version}"/>
        <title>Privacy compliance report: <xsl:value-of select="r:policy/@title"/></title>
        <style><xsl:call-template name="css"/></style>
      </head>
      <body>
        <header>
          <h1>Privacy compliance report</h1>
          <p class="sub">
            <xsl:value-of select="r:policy/@title"/>
            <xsl:text> (version </xsl:text>
            <xsl:value-of select="r:policy/@version"/>
            <xsl:text>)</xsl:text>
            <xsl:if test="r:run/@date">
              <xsl:text>, checked </xsl:text>
              <xsl:value-of select="r:run/@date"/>
            </xsl:if>
          </p>
          <nav>
            <a href="#summary">Summary</a>
            <a href="#findings">Findings</a>
            <a href="#rights">Rights by state</a>
            <a href="#data-map">Data map</a>
            <a href="#disclosures">Disclosures</a>
            <a href="#coverage">Clause coverage</a>
            <a href="#waived">Waived</a>
            <a href="#audit">Audit trail</a>
          </nav>
        </header>
        <main>
          <xsl:call-template name="summary"/>
          <xsl:call-template name="findings"/>
          <xsl:call-template name="rights"/>
          <xsl:call-template name="data-map"/>
          <xsl:call-template name="disclosures"/>
          <xsl:call-template name="coverage"/>
          <xsl:call-template name="waived"/>
          <xsl:call-template name="audit"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="summary">
    <section id="summary">
      <h2>Summary</h2>
      <xsl:variable name="c" select="r:counts"/>
      <xsl:choose>
        <xsl:when test="r:run/@verdict = 'fail'">
          <p class="verdict fail">FAIL: findings at or above
            <xsl:value-of select="r:run/@fail-on"/> need attention.</p>
        </xsl:when>
        <xsl:when test="r:run/@verdict = 'pass'">
          <p class="verdict pass">PASS: no finding at or above
            <xsl:value-of select="r:run/@fail-on"/>.</p>
        </xsl:when>
      </xsl:choose>
      <div class="wrap">
        <table class="counts">
          <thead><tr><th>Errors</th><th>Warnings</th><th>Notes</th>
            <th>Waived</th><th>Baseline</th><th>Total</th></tr></thead>
          <tbody><tr>
            <td class="sev-error"><xsl:value-of select="$c/@error"/></td>
            <td class="sev-warning"><xsl:value-of select="$c/@warning"/></td>
            <td class="sev-note"><xsl:value-of select="$c/@note"/></td>
            <td><xsl:value-of select="$c/@waived"/></td>
            <td><xsl:value-of select="$c/@known"/></td>
            <td><xsl:value-of select="$c/@total"/></td>
          </tr></tbody>
        </table>
      </div>
      <h3>Applications checked</h3>
      <ul>
        <xsl:for-each select="r:manifests/r:manifest">
          <li><strong><xsl:value-of select="@application"/></strong>
            <xsl:if test="@version"> <xsl:value-of select="concat(' ', @version)"/></xsl:if>
            <xsl:text>: </xsl:text><code><xsl:value-of select="@file"/></code>
            <xsl:variable name="f" select="@file"/>
            <xsl:text> (</xsl:text>
            <xsl:value-of select="count(/r:report/r:findings/r:finding[@file = $f and @suppressed = 'false'])"/>
            <xsl:text> findings)</xsl:text>
          </li>
        </xsl:for-each>
      </ul>
      <p class="muted">
        <xsl:value-of select="count(r:coverage/r:clause[@normative = 'true'])"/>
        <xsl:text> normative clauses; </xsl:text>
        <xsl:value-of select="count(r:coverage/r:clause[@normative = 'true'][r:rule])"/>
        <xsl:text> enforced by a rule, </xsl:text>
        <xsl:value-of select="count(r:coverage/r:clause[@normative = 'true'][@exercised = 'true'])"/>
        <xsl:text> exercised by this run, </xsl:text>
        <xsl:value-of select="count(r:coverage/r:clause[@normative = 'true'][not(r:rule)])"/>
        <xsl:text> enforced by no rule (see Clause coverage).</xsl:text>
      </p>
    </section>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="findings">
    <section id="findings">
      <h2>Findings by policy section</h2>
      <xsl:variable name="active" select="r:findings/r:finding[@suppressed = 'false']"/>
      <xsl:if test="not($active)">
        <p>No findings: every rule that had something to judge held.</p>
      </xsl:if>
      <!-- One entry per section, in the policy's order; then findings that
           cite no clause. -->
      <xsl:for-each select="r:sections/r:section[key('by-section', @number)]">
        <xsl:call-template name="section-findings">
          <xsl:with-param name="number" select="@number"/>
          <xsl:with-param name="title" select="concat('§', @number, ' ', @title)"/>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:if test="key('by-section', '')">
        <xsl:call-template name="section-findings">
          <xsl:with-param name="number" select="''"/>
          <xsl:with-param name="title" select="'The manifest and its waivers (no policy clause)'"/>
        </xsl:call-template>
      </xsl:if>
    </section>
  </xsl:template>

  <xsl:template name="section-findings">
    <xsl:param name="number"/>
    <xsl:param name="title"/>
    <div class="policy-section">
      <h3><xsl:value-of select="$title"/></h3>
      <xsl:for-each select="key('by-section', $number)
          [generate-id() = generate-id(key('by-object', concat(@section, '|', @file, '|', @group))[1])]">
        <xsl:variable name="members" select="key('by-object', concat(@section, '|', @file, '|', @group))"/>
        <div class="object">
          <h4>
            <span class="objname"><xsl:value-of select="@group"/></span>
            <span class="muted"> in <xsl:value-of select="@application"/>
              (<code><xsl:value-of select="@file"/></code>)</span>
          </h4>
          <xsl:for-each select="$members">
            <xsl:apply-templates select="." mode="finding"/>
          </xsl:for-each>
        </div>
      </xsl:for-each>
    </div>
  </xsl:template>

  <xsl:template match="r:finding" mode="finding">
    <article class="finding sev-{@severity}" id="f-{@fingerprint}">
      <p class="fhead">
        <span class="badge sev-{@severity}"><xsl:value-of select="@severity"/></span>
        <xsl:text> </xsl:text>
        <strong class="rule"><xsl:value-of select="@id"/></strong>
        <xsl:text> </xsl:text>
        <xsl:value-of select="r:title"/>
      </p>
      <p class="message"><xsl:value-of select="r:message"/></p>
      <dl>
        <dt>Where</dt>
        <dd><code><xsl:value-of select="@file"/>
          <xsl:if test="@line">:<xsl:value-of select="@line"/></xsl:if></code>,
          <code class="obj"><xsl:value-of select="@object"/></code></dd>
        <xsl:if test="r:clause">
          <dt>Promise broken</dt>
          <dd>
            <xsl:for-each select="r:clause">
              <blockquote class="clause">
                <span class="cite">§<xsl:value-of select="@section"/>
                  <xsl:text> </xsl:text><xsl:value-of select="@id"/></span>
                <xsl:text> “</xsl:text><xsl:value-of select="."/><xsl:text>”</xsl:text>
              </blockquote>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:if test="r:fix">
          <dt>How to fix</dt>
          <dd class="fix"><xsl:value-of select="r:fix"/></dd>
        </xsl:if>
        <xsl:if test="r:related">
          <dt>Related</dt>
          <dd>
            <xsl:for-each select="r:related">
              <a href="#f-{@fingerprint}"><xsl:value-of select="@id"/>
                <xsl:if test="@line"> (line <xsl:value-of select="@line"/>)</xsl:if></a>
              <xsl:if test="position() != last()">, </xsl:if>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <dt>Fingerprint</dt>
        <dd><code><xsl:value-of select="@fingerprint"/></code>
          <xsl:if test="@baseline"> (baseline: <xsl:value-of select="@baseline"/>)</xsl:if></dd>
      </dl>
    </article>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="rights">
    <section id="rights">
      <h2>Privacy rights by state</h2>
      <p class="muted">Each cell: whether the application handles the right within
        the statutory response deadline of that state (days, with the extension the
        law allows for exceptional cases), is late, is missing, or whether that state's
        law does not require it.</p>
      <xsl:if test="not(r:rights)"><p>No manifest declares its audience.</p></xsl:if>
      <xsl:for-each select="r:rights">
        <h3><xsl:value-of select="@application"/>
          <span class="muted"> (<code><xsl:value-of select="@file"/></code>)</span></h3>
        <xsl:choose>
          <xsl:when test="not(r:jurisdiction)">
            <p>No jurisdictions declared.</p>
          </xsl:when>
          <xsl:otherwise>
            <div class="wrap">
              <table class="matrix">
                <thead>
                  <tr>
                    <th scope="col">Right</th>
                    <xsl:for-each select="r:jurisdiction">
                      <th scope="col">
                        <xsl:value-of select="@id"/>
                        <xsl:if test="@title"><br/><span class="muted"><xsl:value-of select="@title"/></span></xsl:if>
                      </th>
                    </xsl:for-each>
                  </tr>
                </thead>
                <tbody>
                  <xsl:for-each select="r:right">
                    <tr>
                      <th scope="row"><xsl:value-of select="@title"/>
                        <br/><code class="muted"><xsl:value-of select="@id"/></code></th>
                      <xsl:for-each select="r:cell">
                        <td class="cell {@status}">
                          <span class="status">
                            <xsl:choose>
                              <xsl:when test="@status = 'within'">✓ within deadline</xsl:when>
                              <xsl:when test="@status = 'late'">✗ late</xsl:when>
                              <xsl:when test="@status = 'missing'">✗ missing</xsl:when>
                              <xsl:when test="@status = 'handled'">handled</xsl:when>
                              <xsl:otherwise>not required</xsl:otherwise>
                            </xsl:choose>
                          </span>
                          <xsl:if test="@days">
                            <br/>responds in <xsl:value-of select="@days"/> days
                          </xsl:if>
                          <xsl:if test="@deadline and (@required = 'true' or @days)">
                            <br/>deadline <xsl:choose>
                              <xsl:when test="@deadline-period"><xsl:value-of select="@deadline-period"/> (<xsl:value-of select="@deadline"/> days at the shortest)</xsl:when>
                              <xsl:otherwise><xsl:value-of select="@deadline"/> days</xsl:otherwise>
                            </xsl:choose>
                            <xsl:if test="@extension"> (+<xsl:choose><xsl:when test="@extension-period"><xsl:value-of select="@extension-period"/></xsl:when><xsl:otherwise><xsl:value-of select="@extension"/></xsl:otherwise></xsl:choose>)</xsl:if>
                          </xsl:if>
                          <xsl:if test="@required = 'false' and @offered = 'true'">
                            <br/><span class="muted">offered by the policy</span>
                          </xsl:if>
                          <xsl:if test="@statute and @required = 'true'">
                            <br/><span class="cite"><xsl:value-of select="@statute"/></span>
                          </xsl:if>
                          <xsl:if test="@deadline-statute and @deadline-statute != @statute and (@required = 'true' or @days)">
                            <br/><span class="cite">deadline: <xsl:value-of select="@deadline-statute"/></span>
                          </xsl:if>
                        </td>
                      </xsl:for-each>
                    </tr>
                  </xsl:for-each>
                </tbody>
              </table>
            </div>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="data-map">
    <section id="data-map">
      <h2>Data map</h2>
      <p class="muted">Each category of data the flows carry, and where it goes.
        <span class="sensitive-mark">Sensitive</span> marks sensitive data.</p>
      <xsl:for-each select="r:data-map">
        <h3><xsl:value-of select="@application"/>
          <span class="muted"> (<code><xsl:value-of select="@file"/></code>)</span></h3>
        <div class="wrap">
          <table>
            <thead><tr><th>Category</th><th>Stores</th><th>Recipient types</th><th>Purposes</th></tr></thead>
            <tbody>
              <xsl:for-each select="r:category">
                <tr>
                  <th scope="row">
                    <xsl:value-of select="@id"/>
                    <xsl:if test="@sensitive = 'true'"> <span class="sensitive-mark">Sensitive</span></xsl:if>
                    <xsl:if test="@title"><br/><span class="muted"><xsl:value-of select="@title"/></span></xsl:if>
                    <xsl:if test="@declared = 'false'"><br/><span class="warn">not declared by the policy</span></xsl:if>
                  </th>
                  <td><xsl:for-each select="r:store"><code><xsl:value-of select="@id"/></code><xsl:if test="position() != last()">, </xsl:if></xsl:for-each></td>
                  <td><xsl:for-each select="r:recipient-type"><code><xsl:value-of select="@id"/></code><xsl:if test="position() != last()">, </xsl:if></xsl:for-each></td>
                  <td><xsl:for-each select="r:purpose"><code><xsl:value-of select="@id"/></code><xsl:if test="position() != last()">, </xsl:if></xsl:for-each></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="disclosures">
    <xsl:variable name="d" select="r:disclosures"/>
    <section id="disclosures">
      <h2>How the policy discloses each flow</h2>
      <p class="muted"><strong>Clear</strong>: the policy names it.
        <strong>Vague</strong>: only its category is disclosed.
        <strong>Omitted</strong>: nothing in the policy covers it.
        <strong>Incorrect</strong>: the policy says it does not happen.</p>
      <div class="wrap">
        <table class="counts">
          <thead><tr><th>Clear</th><th>Vague</th><th>Omitted</th><th>Incorrect</th></tr></thead>
          <tbody><tr>
            <td class="cls-clear"><xsl:value-of select="$d/@clear"/></td>
            <td class="cls-vague"><xsl:value-of select="$d/@vague"/></td>
            <td class="cls-omitted"><xsl:value-of select="$d/@omitted"/></td>
            <td class="cls-incorrect"><xsl:value-of select="$d/@incorrect"/></td>
          </tr></tbody>
        </table>
      </div>
      <xsl:if test="$d/r:item">
        <div class="wrap">
          <table>
            <thead><tr><th>Class</th><th>Flow / field</th><th>What</th><th>Clause</th></tr></thead>
            <tbody>
              <xsl:for-each select="$d/r:item">
                <tr class="cls-{@class}">
                  <td><span class="badge cls-{@class}"><xsl:value-of select="@class"/></span></td>
                  <td><code class="obj"><xsl:value-of select="@object"/></code>
                    <br/><span class="muted"><xsl:value-of select="@application"/>, line <xsl:value-of select="@line"/></span></td>
                  <td><xsl:value-of select="@aspect"/>: <code><xsl:value-of select="@value"/></code></td>
                  <td>
                    <xsl:for-each select="r:clause">
                      <span class="cite">§<xsl:value-of select="@section"/><xsl:text> </xsl:text><xsl:value-of select="@id"/></span>
                      <xsl:text> “</xsl:text><xsl:value-of select="."/><xsl:text>”</xsl:text>
                    </xsl:for-each>
                    <xsl:if test="not(r:clause)"><span class="muted">no clause of the policy covers it</span></xsl:if>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:if>
      <h3>Stale disclosures</h3>
      <p class="muted">What the policy says is collected, used or shared that no
        application checked in this run does: information for whoever maintains
        the policy, not a failure.</p>
      <xsl:choose>
        <xsl:when test="not(r:stale/r:clause)"><p>None.</p></xsl:when>
        <xsl:otherwise>
          <div class="wrap">
            <table>
              <thead><tr><th>Clause</th><th>Discloses, but nothing does</th></tr></thead>
              <tbody>
                <xsl:for-each select="r:stale/r:clause">
                  <tr>
                    <td><span class="cite">§<xsl:value-of select="@section"/><xsl:text> </xsl:text><xsl:value-of select="@id"/></span>
                      <br/><q><xsl:value-of select="r:text"/></q></td>
                    <td><xsl:for-each select="r:disclosure">
                      <xsl:value-of select="@kind"/><xsl:text> </xsl:text><code><xsl:value-of select="@id"/></code>
                      <xsl:if test="position() != last()">; </xsl:if></xsl:for-each></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </div>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="coverage">
    <section id="coverage">
      <h2>Clause coverage</h2>
      <p class="muted">Every normative clause of the policy: the rules that enforce it,
        whether any of them had something to judge in this run, and the findings
        that cite it.</p>
      <h3>Clauses no rule enforces</h3>
      <xsl:variable name="unenforced" select="r:coverage/r:clause[@normative = 'true'][not(r:rule)]"/>
      <xsl:choose>
        <xsl:when test="not($unenforced)"><p>None: every normative clause has a rule.</p></xsl:when>
        <xsl:otherwise>
          <ul class="unenforced">
            <xsl:for-each select="$unenforced">
              <li><span class="cite">§<xsl:value-of select="@section"/><xsl:text> </xsl:text><xsl:value-of select="@id"/></span>
                <xsl:text> </xsl:text><q><xsl:value-of select="r:text"/></q></li>
            </xsl:for-each>
          </ul>
        </xsl:otherwise>
      </xsl:choose>
      <h3>All normative clauses</h3>
      <div class="wrap">
        <table class="coverage">
          <thead><tr><th>Clause</th><th>Text</th><th>Rules</th><th>This run</th></tr></thead>
          <tbody>
            <xsl:for-each select="r:coverage/r:clause[@normative = 'true']">
              <tr>
                <td class="nowrap"><span class="cite">§<xsl:value-of select="@section"/></span><br/><code><xsl:value-of select="@id"/></code></td>
                <td><xsl:value-of select="r:text"/></td>
                <td><xsl:for-each select="r:rule"><code><xsl:value-of select="@id"/></code><xsl:if test="position() != last()">, </xsl:if></xsl:for-each>
                  <xsl:if test="not(r:rule)"><span class="warn">none</span></xsl:if></td>
                <td>
                  <xsl:choose>
                    <xsl:when test="@findings != '0'"><span class="badge sev-error"><xsl:value-of select="@findings"/> finding(s)</span></xsl:when>
                    <xsl:when test="@exercised = 'true'"><span class="badge cls-clear">checked, held</span></xsl:when>
                    <xsl:when test="r:rule">not exercised</xsl:when>
                    <xsl:otherwise>not checked</xsl:otherwise>
                  </xsl:choose>
                </td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
    </section>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="waived">
    <section id="waived">
      <h2>Waived findings</h2>
      <xsl:variable name="w" select="r:findings/r:finding[r:suppression/@kind = 'waiver']"/>
      <xsl:choose>
        <xsl:when test="not($w)"><p>No finding is waived.</p></xsl:when>
        <xsl:otherwise>
          <div class="wrap">
            <table>
              <thead><tr><th>Finding</th><th>Reason</th><th>Approved by</th><th>Expires</th><th>Waiver</th></tr></thead>
              <tbody>
                <xsl:for-each select="$w">
                  <tr>
                    <td><strong><xsl:value-of select="@id"/></strong>
                      <xsl:text> </xsl:text><code class="obj"><xsl:value-of select="@object"/></code>
                      <br/><span class="muted"><xsl:value-of select="r:message"/></span></td>
                    <td><xsl:value-of select="r:suppression/@reason"/></td>
                    <td><xsl:value-of select="r:suppression/@approved-by"/></td>
                    <td class="nowrap"><xsl:value-of select="r:suppression/@expires"/></td>
                    <td><code><xsl:value-of select="r:suppression/@file"/>
                      <xsl:if test="r:suppression/@line">:<xsl:value-of select="r:suppression/@line"/></xsl:if></code></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </div>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="r:counts/@known != '0'">
        <p><xsl:value-of select="r:counts/@known"/> finding(s) are known from the baseline and not counted.</p>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="audit">
    <section id="audit">
      <h2>Audit trail</h2>
      <div class="wrap">
        <table class="audit">
          <thead><tr><th>What</th><th>Which</th><th>SHA-256</th></tr></thead>
          <tbody>
            <tr><td>Tool</td><td><xsl:value-of select="concat(r:tool/@name, ' ', r:tool/@version)"/></td><td></td></tr>
            <xsl:if test="r:run/@date">
              <tr><td>Date</td><td><xsl:value-of select="r:run/@date"/></td><td></td></tr>
              <tr><td>Exit status</td><td><xsl:value-of select="r:run/@exit-code"/> (fail on <xsl:value-of select="r:run/@fail-on"/>)</td><td></td></tr>
            </xsl:if>
            <tr><td>Policy</td><td><xsl:value-of select="concat(r:policy/@id, ' ', r:policy/@version)"/></td>
              <td><code class="hash"><xsl:value-of select="r:policy/@sha256"/></code></td></tr>
            <tr><td>Rules</td><td><xsl:value-of select="r:rules/@count"/> rules</td>
              <td><code class="hash"><xsl:value-of select="r:rules/@sha256"/></code></td></tr>
            <xsl:for-each select="r:manifests/r:manifest">
              <tr><td>Manifest</td><td><code><xsl:value-of select="@path"/></code></td>
                <td><code class="hash"><xsl:value-of select="@sha256"/></code></td></tr>
            </xsl:for-each>
            <xsl:for-each select="r:waivers/r:waivers-file">
              <tr><td>Waivers</td><td><code><xsl:value-of select="@path"/></code></td>
                <td><code class="hash"><xsl:value-of select="@sha256"/></code></td></tr>
            </xsl:for-each>
            <xsl:for-each select="r:baseline">
              <tr><td>Baseline</td><td><code><xsl:value-of select="@file"/></code></td>
                <td><code class="hash"><xsl:value-of select="@sha256"/></code></td></tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
    </section>
  </xsl:template>

  <!-- ============================================================ -->
  <xsl:template name="css">
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg2: #f6f8fa;
  --err: #b42318; --warn: #9a6700; --note: #0969da; --ok: #1a7f37; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 70rem; padding: 1rem; color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header { border-bottom: 3px solid var(--fg); margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1rem 0 .4rem; }
.sub, .muted { color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: .3rem .9rem; margin: .5rem 0; font-size: .9rem; }
nav a { color: var(--note); }
code { font: .85em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
.verdict { font-size: 1.2rem; font-weight: 700; padding: .6rem .9rem; border-radius: 6px; }
.verdict.fail { background: #ffebe9; color: var(--err); border: 1px solid var(--err); }
.verdict.pass { background: #dafbe1; color: var(--ok); border: 1px solid var(--ok); }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg2); }
table.counts td { font-size: 1.3rem; font-weight: 700; text-align: center; }
table.counts th { text-align: center; }
.sev-error { color: var(--err); } .sev-warning { color: var(--warn); } .sev-note { color: var(--note); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .78rem;
  font-weight: 700; border: 1px solid currentColor; text-transform: uppercase; white-space: nowrap; }
.cls-clear { color: var(--ok); } .cls-vague { color: var(--warn); }
.cls-omitted { color: var(--note); } .cls-incorrect { color: var(--err); }
tr.cls-clear, tr.cls-vague, tr.cls-omitted, tr.cls-incorrect { color: inherit; }
.object { border-left: 4px solid var(--line); padding-left: .8rem; margin: 0 0 1rem; }
.objname { font-family: ui-monospace, Menlo, Consolas, monospace; }
.finding { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; margin: .5rem 0;
  color: var(--fg); break-inside: avoid; page-break-inside: avoid; }
.finding.sev-error { border-left: 5px solid var(--err); }
.finding.sev-warning { border-left: 5px solid var(--warn); }
.finding.sev-note { border-left: 5px solid var(--note); }
.fhead { margin: 0; } .message { margin: .2rem 0 .4rem; }
dl { display: grid; grid-template-columns: 8.5rem 1fr; gap: .2rem .8rem; margin: 0; font-size: .92rem; }
dt { color: var(--muted); font-weight: 600; } dd { margin: 0; min-width: 0; }
blockquote.clause { margin: 0 0 .3rem; padding: .3rem .6rem; background: var(--bg2);
  border-left: 3px solid var(--muted); font-style: italic; }
.cite { font-style: normal; font-weight: 600; color: var(--muted); font-size: .85em; }
.fix { color: var(--ok); }
.matrix td.cell { min-width: 7.5rem; font-size: .85rem; }
.matrix .status { font-weight: 700; }
td.within { background: #dafbe1; } td.handled { background: #ddf4ff; }
td.late, td.missing { background: #ffebe9; } td.late .status, td.missing .status { color: var(--err); }
td.not-required { background: var(--bg2); color: var(--muted); }
.sensitive-mark { display: inline-block; background: #ffebe9; color: var(--err); font-size: .75rem;
  font-weight: 700; padding: 0 .4rem; border-radius: 4px; border: 1px solid var(--err); }
.warn { color: var(--err); font-weight: 600; }
.nowrap { white-space: nowrap; }
.hash { font-size: .75em; }
ul.unenforced li { margin-bottom: .3rem; }
@media (max-width: 40rem) {
  body { padding: .6rem; font-size: 14px; }
  dl { grid-template-columns: 1fr; } dt { margin-top: .3rem; }
  h1 { font-size: 1.3rem; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  section { break-before: page; page-break-before: always; }
  section:first-of-type { break-before: auto; page-break-before: auto; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr, blockquote, .finding { break-inside: avoid; page-break-inside: avoid; }
  .wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  td.within, td.late, td.missing, td.not-required, thead th, .verdict {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
  </xsl:template>
</xsl:stylesheet>
