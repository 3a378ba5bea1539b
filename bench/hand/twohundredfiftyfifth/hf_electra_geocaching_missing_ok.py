"""Hugging Face Trainer: a tiny ELECTRA discriminator (``ElectraConfig``: vocabulary 10,
embedding 16, hidden 32, 2 layers, 4 heads, 2 labels, built from the config, no download)
reads a geocache's last 8 log entries, oldest first (Found it, Didn't find it, Needs
maintenance, Owner maintenance, Write note, Temporarily disabled, Enable listing), and says
whether the container is probably gone. The label is 1 when, since the last Found it or Owner
maintenance, the Didn't-find-its plus twice the Needs-maintenance logs reach 2 (notes and
disable/enable logs do not count); so the model has to find the last reset in the sequence and
count after it. ``ElectraForSequenceClassification``, AdamW 2e-3 with cosine decay and 20
warm-up steps, batch 32, 8 epochs of 1536 caches, eval every 48 steps on 256 caches (accuracy),
loss every 12 steps, a checkpoint every 96 steps (``checkpoint-384/`` is the last).
Healthy: numbers in the README (eval accuracy starts at about the "still there" share, dips
below it once at step 96, then climbs to ~0.98)."""
import torch
from transformers import ElectraConfig, ElectraForSequenceClassification, Trainer, TrainingArguments

N_LOG = 8
CLS = 1  # 2 found, 3 dnf, 4 needs maint, 5 owner maint, 6 note, 7 disable, 8 enable; 0 pad
SHARES = torch.tensor([0, 0, .42, .22, .07, .08, .13, .04, .04])


def cache_logs(n, g):
    logs = torch.multinomial(SHARES, n * N_LOG, replacement=True, generator=g).view(n, N_LOG)
    score = torch.zeros(n)
    for t in range(N_LOG):
        k = logs[:, t]
        score = torch.where((k == 2) | (k == 5), torch.zeros(n), score)
        score = score + (k == 3).float() + 2 * (k == 4).float()
    ids = torch.cat([torch.full((n, 1), CLS), logs], 1)
    return ids, (score >= 2).long()


class Caches(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N_LOG + 1, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = ElectraConfig(vocab_size=10, embedding_size=16, hidden_size=32, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=64,
                           max_position_embeddings=32, num_labels=2, pad_token_id=0)
    return ElectraForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = cache_logs(1536, g)
    iva, yva = cache_logs(256, g)
    print("gone share", ytr.float().mean().item(), yva.float().mean().item())
    args = TrainingArguments(str(out / "gone"), num_train_epochs=8, learning_rate=2e-3,
                             weight_decay=0.01, lr_scheduler_type="cosine", warmup_steps=20,
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=12, eval_strategy="steps", eval_steps=48,
                             save_strategy="steps", save_steps=96, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Caches(itr, ytr),
                      eval_dataset=Caches(iva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gone").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ELECTRA deciding from a geocache's recent logs whether the container is"
                " gone, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
