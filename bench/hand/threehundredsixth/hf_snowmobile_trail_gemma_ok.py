"""Hugging Face Trainer: a tiny Gemma token classifier (``GemmaConfig``: vocabulary 16, 48
wide, 2 layers, 4 heads, 2 key/value heads, rotary positions, built from the config, no
download; ``GemmaForTokenClassification``, causal) reads a snowmobile trail log segment by
segment (100 m each) and marks the segments where a sled bogs down (track spins, speed under
10 km/h). Each segment is one token: 3 snow types (packed, crust, powder) × 3 grades (flat,
climb, descent) = tokens 1-9. A sled bogs down on a powder climb unless it carries momentum:
at least 2 of the 3 segments before it were packed or descents; on a crust climb it bogs only
after 3 climbs in a row (the clutch overheats). Trails of 48 segments; snow comes in patches
(a sticky Markov chain). AdamW 2e-3 with cosine decay and 12 warmup steps, batch 32, 4
epochs of 800 trails, eval every 25 steps on 200 trails (token accuracy, share of bog-downs
found), loss every 5 steps, checkpoint every 25 steps (``sled/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import GemmaConfig, GemmaForTokenClassification, Trainer, TrainingArguments

T = 48


def trails(n, g):
    snow = torch.zeros(n, T, dtype=torch.long)
    grade = torch.randint(0, 3, (n, T), generator=g)
    cur = torch.randint(0, 3, (n,), generator=g)
    for k in range(T):
        new = torch.randint(0, 3, (n,), generator=g)
        cur = torch.where(torch.rand(n, generator=g) < 0.7, cur, new)
        snow[:, k] = cur
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        prev_s, prev_g = snow[:, max(0, k - 3):k], grade[:, max(0, k - 3):k]
        momentum = ((prev_s == 0) | (prev_g == 2)).sum(1) >= 2
        climbs = (prev_g == 1).sum(1) >= 3
        climb = grade[:, k] == 1
        lab[:, k] = (climb & (((snow[:, k] == 2) & ~momentum) | ((snow[:, k] == 1) & climbs))).long()
    return 1 + snow * 3 + grade, lab


class Trails(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GemmaConfig(vocab_size=16, hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, head_dim=12,
                         max_position_embeddings=T, num_labels=2, pad_token_id=0,
                         bos_token_id=10, eos_token_id=11)
    return GemmaForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "bog_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = trails(800, g)
    iva, lva = trails(200, g)
    print("bog share", ltr.float().mean().item())
    args = TrainingArguments(str(out / "sled"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=12, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Trails(itr, ltr),
                      eval_dataset=Trails(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "sled").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma token classifier marking the segments of a snowmobile trail log"
                " where the sled bogs down, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
