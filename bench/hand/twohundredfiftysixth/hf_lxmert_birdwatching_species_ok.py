"""Hugging Face Trainer: a tiny LXMERT (``LxmertConfig``: vocabulary 10, hidden 32, 1 language /
1 cross / 1 object layer, 4 heads, visual feature dim 5, 4 QA labels, built from the config, no
download) names which of four warblers a birdwatching club member logged, from two streams: the
field-note words (10 tokens: habitat, "trill", "whistle", "chip", canopy, edge, ...) and 3 photo
regions (5 colour/shape features + a box each). The species is 2 * (more trills than whistles
in the notes) + (wing-bar brightness averaged over the regions > 0), so both streams matter.
AdamW 1e-3, linear decay with 20 warm-up steps, batch 32, 10 epochs of 640 sightings, eval every 20
steps on 160 sightings (accuracy), loss every 5 steps.
Healthy: eval accuracy sits near 0.3 for two evals, then climbs to 0.95. Numbers
in the README."""
import torch
from transformers import LxmertConfig, LxmertForQuestionAnswering, Trainer, TrainingArguments

L_TOK, N_REG, D_VIS = 10, 3, 5
# 3 trill, 4 whistle, 5 chip, 6 canopy, 7 edge, 8 reeds, 9 understory; 1 [CLS], 2 [SEP]


def sightings(n, g):
    words = torch.multinomial(torch.tensor([0, 0, 0, .2, .2, .12, .12, .12, .12, .12]),
                              n * (L_TOK - 2), replacement=True, generator=g).view(n, -1)
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), words,
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    feats = torch.randn(n, N_REG, D_VIS, generator=g)
    boxes = torch.rand(n, N_REG, 4, generator=g)
    trills = ((words == 3).sum(1) > (words == 4).sum(1)).long()
    bars = (feats[:, :, 0].mean(1) > 0).long()
    return ids, feats, boxes, 2 * trills + bars


class Sightings(torch.utils.data.Dataset):
    def __init__(self, ids, feats, boxes, y):
        self.ids, self.feats, self.boxes, self.y = ids, feats, boxes, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_TOK, dtype=torch.long),
                "visual_feats": self.feats[i], "visual_pos": self.boxes[i],
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LxmertConfig(vocab_size=10, hidden_size=32, num_attention_heads=4,
                          intermediate_size=64, l_layers=1, x_layers=1, r_layers=1,
                          visual_feat_dim=D_VIS, visual_pos_dim=4, num_qa_labels=4,
                          max_position_embeddings=16, hidden_dropout_prob=0.0,
                          attention_probs_dropout_prob=0.0)
    return LxmertForQuestionAnswering(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ftr, btr, ytr = sightings(640, g)
    iva, fva, bva, yva = sightings(160, g)
    print("species counts", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    args = TrainingArguments(str(out / "warblers"), num_train_epochs=10, learning_rate=1e-3,
                             weight_decay=0.01, lr_scheduler_type="linear", warmup_steps=20,
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sightings(itr, ftr, btr, ytr),
                      eval_dataset=Sightings(iva, fva, bva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "warblers").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "visual_feats": fva[:64],
                           "visual_pos": bva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LXMERT naming a warbler species from field-note tokens and photo-region"
                " features, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
