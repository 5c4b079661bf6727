"""``newsgist cluster`` as a job: ``engines`` (reading and features on local processes or
Ray), ``job`` (placing, output lines, resume, state), ``stories`` (the stories file:
titles and, with ``--cards``, story cards).
"""
