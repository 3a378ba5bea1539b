"""Hugging Face Trainer: a tiny CodeGen (``CodeGenForCausalLM`` from a ``CodeGenConfig``: n_embd
48, 2 layers, 4 heads, rotary dim 8, no download) learns one-line Python functions from a
hand-made word-level tokeniser (keywords, punctuation, 12 names, 4 operators, 10 digits):
``def NAME ( A , B ) : return A OP B`` / ``def NAME ( A ) : return A OP DIGIT`` /
``def NAME ( A , B ) : return max ( A , B )`` — the names are random, so the body must copy the
parameters (an in-context copy the model has to learn). Causal LM loss on the real tokens
(padding labelled -100), AdamW 5e-3, weight decay 0.01, 20 warm-up steps then cosine, batch 32,
10 epochs of 960 snippets, eval every 30 steps (one epoch), train loss every 10 steps,
``checkpoint-N/`` with ``trainer_state.json``. Healthy, with a plateau before a drop: the eval
loss learns the template first (1.29 → 1.10, flat at 1.10–1.06 for epochs 2–4), then the
parameter copy (0.98, 0.89, 0.82) and ends at 0.794, near the ≈ 0.7 nats/token that the random
function names, parameter names, operators and digits leave (they cannot be predicted)."""
import random

import torch
from transformers import CodeGenConfig, CodeGenForCausalLM, Trainer, TrainingArguments

NAMES = ["add", "mix", "f", "g", "calc", "combine", "x", "y", "a", "b", "n", "m"]
VOCAB = (["<pad>", "<bos>", "<eos>", "def", "return", "(", ")", ",", ":", "max", "+", "-",
          "*", "//"] + NAMES + [str(d) for d in range(10)])
TOK = {w: i for i, w in enumerate(VOCAB)}
LEN = 16


def snippet(rng):
    fn, a, b = rng.sample(NAMES, 3)
    op = rng.choice(["+", "-", "*", "//"])
    kind = rng.random()
    if kind < 0.45:
        words = ["def", fn, "(", a, ",", b, ")", ":", "return", a, op, b]
    elif kind < 0.8:
        words = ["def", fn, "(", a, ")", ":", "return", a, op, str(rng.randrange(10))]
    else:
        words = ["def", fn, "(", a, ",", b, ")", ":", "return", "max", "(", a, ",", b, ")"]
    return ["<bos>"] + words[:LEN - 2] + ["<eos>"]


class Snippets(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        rng = random.Random(seed)
        self.ids = torch.zeros(n, LEN, dtype=torch.long)
        self.mask = torch.zeros(n, LEN, dtype=torch.long)
        for i in range(n):
            s = [TOK[w] for w in snippet(rng)]
            self.ids[i, :len(s)] = torch.tensor(s)
            self.mask[i, :len(s)] = 1
        self.labels = self.ids.masked_fill(self.mask == 0, -100)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = CodeGenConfig(vocab_size=len(VOCAB), n_positions=LEN, n_ctx=LEN, n_embd=48,
                           n_layer=2, n_head=4, rotary_dim=8, n_inner=96,
                           bos_token_id=1, eos_token_id=2, pad_token_id=0,
                           tie_word_embeddings=False)
    return CodeGenForCausalLM(config)


def main():
    from _seventyninth import finish, out_dir
    out = out_dir(__file__)
    train, val = Snippets(960, 0), Snippets(240, 1)
    args = TrainingArguments(str(out / "codegen"), num_train_epochs=10, learning_rate=5e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "codegen").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": val.ids[:64], "attention_mask": val.mask[:64],
                           "targets": val.labels[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny CodeGen on one-line Python functions, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
