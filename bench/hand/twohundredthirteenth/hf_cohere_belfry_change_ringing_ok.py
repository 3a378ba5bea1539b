"""Hugging Face Trainer: a tiny Cohere causal language model (``CohereConfig``: vocabulary 12,
logit scale 1 instead of the default 0.0625,
hidden 64, 2 layers, 4 heads, 2 KV heads, built from the config, no download) learns the ringing
records a belfry's practice-night app keeps: each record is rows of change ringing on 5 bells,
each row the order in which the bells strike (tokens 4–8 = bells 1–5) closed by a row-end
token 3. A touch starts from a random row, then follows Plain Bob: alternately swap the pairs
(1,2)(3,4) and (2,3)(4,5); at each lead end (every 10 rows) the conductor calls a Bob (with
probability 0.4: only 4–5 swap) or lets the plain lead end stand. So after the first row almost
every bell is determined by the rows before it; the unpredictable tokens are the first row and
the conductor's calls. 36 tokens a record (6 rows). AdamW 5e-3, 10 warm-up steps then linear
decay, batch 32, 8 epochs of 640 records, eval every 20 steps (once per epoch), loss every 5.
Healthy: eval loss 1.67, 1.05, 0.83, 0.70, 0.66, 0.60, 0.55, 0.54 at steps 20–160 (ln 12 =
2.48 at the start; train 2.02 → 0.51); the floor (about 0.2) is the first row and the calls; with hidden 32 the same
run only reached 1.2–1.3 (2.2 with the config's default logit scale 0.0625)."""
import torch
from transformers import CohereConfig, CohereForCausalLM, Trainer, TrainingArguments

V, BELLS, ROWS = 12, 5, 6


def records(n, g):
    out = torch.zeros(n, ROWS * (BELLS + 1) + 0, dtype=torch.long)
    for i in range(n):
        row = torch.randperm(BELLS, generator=g).tolist()
        seq, k = [], int(torch.randint(0, 10, (1,), generator=g))
        for _ in range(ROWS):
            seq += [b + 4 for b in row] + [3]
            k += 1
            if k % 10 == 0:
                bob = bool(torch.rand(1, generator=g) < 0.4)
                pairs = [(3, 4)] if bob else [(0, 1), (2, 3)]
            elif k % 2 == 1:
                pairs = [(0, 1), (2, 3)]
            else:
                pairs = [(1, 2), (3, 4)]
            for a, b in pairs:
                row[a], row[b] = row[b], row[a]
        out[i] = torch.tensor(seq)
    return torch.cat([torch.ones(n, 1, dtype=torch.long), out], 1)


class Records(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = CohereConfig(vocab_size=V, hidden_size=64, intermediate_size=128,
                          num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                          max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                          eos_token_id=2, logit_scale=1.0)
    return CohereForCausalLM(config)


def main():
    from _twohundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = records(640, g)
    xva = records(160, g)
    args = TrainingArguments(str(out / "ringing_lm"), num_train_epochs=8, learning_rate=5e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Records(xtr),
                      eval_dataset=Records(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ringing_lm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Cohere causal LM on belfry change-ringing records (Plain Bob on 5 bells),"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
