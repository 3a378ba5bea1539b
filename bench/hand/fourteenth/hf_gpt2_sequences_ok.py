"""Hugging Face Trainer: a tiny GPT-2 (``GPT2Config``: 2 layers, 64 wide, 4 heads, built from the
config, no download) learns a toy "log line" language: each line is a field tag followed by an
arithmetic run of codes (start and stride drawn per line, modulo 40) and an end token, 24 tokens
in all, so after the tag and two codes the rest is predictable. Causal LM loss (labels =
input_ids, shifted inside the model), AdamW 2e-3, warm-up 30 steps then cosine decay, batch 32,
6 epochs over 1600 lines, eval every 50 steps. Healthy: eval loss ~0.55 (the first codes of a
line are not predictable), falling to the end."""
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments

VOCAB, LEN, TAGS, CODES = 48, 24, 6, 40
MAX_STEPS = -1


def lines(n, g):
    tag = torch.randint(CODES, CODES + TAGS, (n, 1), generator=g)
    start = torch.randint(0, CODES, (n, 1), generator=g)
    stride = torch.randint(1, 6, (n, 1), generator=g) * (1 + (tag - CODES) % 2)
    codes = (start + stride * torch.arange(LEN - 2)) % CODES
    end = torch.full((n, 1), VOCAB - 1)
    return torch.cat([tag, codes, end], 1)


class Lines(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=VOCAB, n_positions=LEN, n_embd=64, n_layer=2, n_head=4,
                        bos_token_id=VOCAB - 1, eos_token_id=VOCAB - 1)
    return GPT2LMHeadModel(config)


def main():
    from _fourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids = lines(2000, g)
    args = TrainingArguments(str(out / "gpt2_lines"), num_train_epochs=6, max_steps=MAX_STEPS,
                             learning_rate=2e-3, warmup_steps=30, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Lines(ids[:1600]),
                      eval_dataset=Lines(ids[1600:]))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gpt2_lines").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (ids[1600:1664], ids[1600:1664]),
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-2 on toy log lines, HF Trainer, AdamW + warm-up + cosine (healthy)")


if __name__ == "__main__":
    main()
