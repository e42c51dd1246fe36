"""The agency's review checklist of each document type, as data (one module per type).

Each criterion says where it comes from, in a comment above it. The sources, as the agency
publishes them:

- [Orodha] e-GA, "Orodha Hakiki ya Miradi ya TEHAMA Serikalini" (the ICT project review
  checklist) and its review criteria (ega.go.tz/index.php/pages/details/3): every project is
  reviewed against it, with the stated aim of ending duplicate systems across government
  (*urudufu*); need, alignment, standards, integration, hosting, security, cost and governance.
- [Act] The e-Government Act, No. 10 of 2019: s.5 (the Authority harmonises e-Government
  systems and enforces its standards), s.18 (the institutional ICT steering committee), s.21
  (the ICT management unit), ss.23-25 (e-Government infrastructure, ICT projects, e-Government
  systems), s.26(1)(d) (registration of government systems with the Authority), s.33
  (electronic communication of government), s.48(2) (data shared through the Government
  Enterprise Service Bus, GovESB).
- [Standards] e-GA's e-Government Standards and Guidelines (systems architecture and
  development, interoperability, information security, ICT project management).
- [Hosting] e-GA's hosting prerequisites for the Government Data Centre (platform, language,
  database, licence, users, storage; a security assessment before hosting).
- [PDPA] The Personal Data Protection Act, No. 11 of 2022: registration of data controllers and
  processors with the Personal Data Protection Commission; collection for a stated purpose only,
  no more than needed; security of personal data.
- [GMS] e-GA's Government Mailing System: official mailboxes of public servants and
  institutions (personal, institutional, group and special-purpose accounts), for official use.
- [PFA] The Public Finance Act, Cap. 348, as amended in 2017: public institutions collect
  public money through the Government e-Payment Gateway (GePG).
- [PPA] The Public Procurement Act, 2023.
"""
