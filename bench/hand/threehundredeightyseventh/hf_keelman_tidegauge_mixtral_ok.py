"""Hugging Face Trainer: a tiny Mixtral next-reading model (``MixtralConfig``: vocabulary 35,
48 wide, 2 layers, 4 heads with 2 key/value heads, 4 experts with 2 used per token, built
from the config, no download; ``MixtralForCausalLM``) continues the tide-gauge record at a
keelmen's staithe on a tidal river, so the skippers know when the loaded keels will float
off and clear the shoals below the bridge. The water level is read every 30 min for 16 h
(32 readings): the principal lunar tide M2 (12.42 h, 1.5-2.3 m) plus the solar S2 (12.00 h,
0.4-0.7 m; their beat gives springs and neaps), a river freshet that lifts the level by
0-0.8 m and drains away over the record, and gauge noise of 5 cm. Each reading is one token:
the level binned into 30 steps of 0.2 m from -3 m to +3 m (tokens 3-32; 0 pad, 1 start,
2 unused, 33-34 spare). The model must read phase, range and freshet from what it has seen.
AdamW 2e-3 with cosine decay and 20 warmup steps, weight decay 0.01, batch 16, 4 epochs of 800
records, eval every 50 steps on 200 records (next-reading accuracy and share within one bin,
over readings 2-32), loss every 10 steps, checkpoint every 50 steps
(``staithe/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import MixtralConfig, MixtralForCausalLM, Trainer, TrainingArguments

T = 32
BINS = 30


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 0.5 * torch.arange(T).float()
    m2 = 1.5 + 0.8 * r(n, 1)
    s2 = 0.4 + 0.3 * r(n, 1)
    p1, p2 = 2 * math.pi * r(n, 1), 2 * math.pi * r(n, 1)
    fresh = 0.8 * r(n, 1) * torch.exp(-t / (6 + 10 * r(n, 1)))
    h = (m2 * torch.cos(2 * math.pi * t / 12.42 + p1) + s2 * torch.cos(2 * math.pi * t / 12.0 + p2)
         + fresh + 0.05 * torch.randn(n, T, generator=g))
    tok = 3 + ((h + 3) / 0.2).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Records(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = MixtralConfig(vocab_size=35, hidden_size=48, intermediate_size=64,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           num_local_experts=4, num_experts_per_tok=2,
                           max_position_embeddings=T + 8, pad_token_id=0, bos_token_id=1,
                           eos_token_id=2, tie_word_embeddings=False)
    return MixtralForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, 1:-1].argmax(-1), pred.label_ids[:, 2:]  # skip the first reading
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, iva = records(800, g), records(200, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "staithe"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=20, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Records(itr),
                      eval_dataset=Records(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "staithe").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mixtral next-reading model continuing a tide-gauge record at a keelmen's"
                " staithe, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
